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

// countingTransport is a refusingTransport that counts OutboundBuffered
// calls.
type countingTransport struct {
	refusingTransport
	asked int
}

func (t *countingTransport) OutboundBuffered() int {
	t.asked++
	return t.backlog
}

// A write to a connection that keeps up never asks the transport for its
// buffered bytes (Write, Writable and Queued know them from the backlog
// flag); once a flush leaves bytes behind, all three count them, the queue
// cap included.
func TestWritesAskTransportOnlyWhenBacklogged(t *testing.T) {
	l := newLoop(&Server{opts: newOptions([]Option{WithMaxQueuedBytes(100)})}, nil, 0)
	tr := &countingTransport{}
	c := &Conn{t: tr, loop: l}

	l.enter()
	_ = c.Write([]byte("taken"))
	if !c.Writable() || c.Queued() != 5 {
		t.Fatalf("writable %v, queued %d; want true, 5", c.Writable(), c.Queued())
	}
	l.leave() // the flush asks once, to know whether bytes were left
	if tr.asked != 1 {
		t.Fatalf("transport asked %d times for a connection that keeps up, want 1 (the flush)", tr.asked)
	}

	l.enter()
	_ = c.Write([]byte("refused"))
	tr.backlog = 60
	l.leave()
	l.enter()
	if c.Writable() {
		t.Fatal("writable while the transport holds 60 bytes")
	}
	if q := c.Queued(); q != 60 {
		t.Fatalf("queued %d, want the transport's 60", q)
	}
	if err := c.Write(make([]byte, 41)); err != ErrSlowConsumer {
		t.Fatalf("a write over the cap with the transport's bytes: %v, want ErrSlowConsumer", err)
	}
	l.leave()
}
