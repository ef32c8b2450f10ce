package loop

import "testing"

// refusingTransport holds back as many bytes as its backlog says, like gnet
// when the kernel's send buffer is full.
type refusingTransport struct{ backlog int }

func (t *refusingTransport) Write(b []byte) (int, error)     { return len(b), nil }
func (t *refusingTransport) Writev(bs [][]byte) (int, error) { return 0, nil }
func (t *refusingTransport) OutboundBuffered() int           { return t.backlog }
func (t *refusingTransport) Close() error                    { return nil }
func (t *refusingTransport) Fd() int                         { return -1 }
func (t *refusingTransport) shutdownWrite()                  {}

// Backlogged, readable from any goroutine, follows what gnet holds: set by
// the flush that left bytes behind, cleared by the first tick after they
// have left.
func TestBackloggedFollowsFlushAndTick(t *testing.T) {
	l := newLoop(&Server{opts: newOptions(nil)}, nil, 0)
	tr := &refusingTransport{}
	c := &Conn{t: tr, loop: l}

	l.enter()
	_ = c.Write([]byte("taken"))
	l.leave()
	if c.Backlogged() {
		t.Fatal("backlogged after a flush the kernel took")
	}

	l.enter()
	_ = c.Write([]byte("refused"))
	tr.backlog = 7
	l.leave()
	if !c.Backlogged() {
		t.Fatal("not backlogged after a flush that left bytes in gnet")
	}
	l.advanceTimers()
	if !c.Backlogged() {
		t.Fatal("tick cleared the flag while bytes still wait")
	}
	tr.backlog = 0
	l.advanceTimers()
	if c.Backlogged() || len(l.backlogged) != 0 {
		t.Fatalf("flag still set after the bytes left (list %d)", len(l.backlogged))
	}
}
