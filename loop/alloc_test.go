//go:build !race

package loop

import "testing"

// nopTransport accepts everything, for allocation tests of the write path.
type nopTransport struct{ n int }

func (t *nopTransport) write(b []byte) error { t.n += len(b); return nil }
func (t *nopTransport) writev(bs [][]byte) error {
	for _, b := range bs {
		t.n += len(b)
	}
	return nil
}
func (t *nopTransport) outbound() int  { return 0 }
func (t *nopTransport) close()         {}
func (t *nopTransport) shutdownWrite() {}

func newTestLoop() *Loop {
	s := &Server{opts: newOptions(nil)}
	return newLoop(s, nil, 0)
}

// Steady-state writes to many connections, flushed at the end of the turn,
// allocate nothing.
func TestWriteFlushZeroAlloc(t *testing.T) {
	l := newTestLoop()
	conns := make([]*Conn, 1000)
	for i := range conns {
		conns[i] = &Conn{t: &nopTransport{}, loop: l}
	}
	frame := []byte("42[\"broadcast\",{\"t\":1}]")
	turn := func() {
		l.enter()
		for _, c := range conns {
			_ = c.Write(frame)
			_ = c.Write(frame)
		}
		l.leave()
	}
	turn() // warm the per-connection slices
	if n := testing.AllocsPerRun(20, turn); n != 0 {
		t.Fatalf("%v allocations per turn", n)
	}
}

func TestScratchZeroAlloc(t *testing.T) {
	l := newTestLoop()
	c := &Conn{t: &nopTransport{}, loop: l}
	turn := func() {
		l.enter()
		for i := 0; i < 100; i++ {
			b := l.Scratch(128)
			_ = c.Write(b)
		}
		l.leave()
	}
	turn()
	if n := testing.AllocsPerRun(20, turn); n != 0 {
		t.Fatalf("%v allocations per turn", n)
	}
}

func TestTimerZeroAlloc(t *testing.T) {
	w := &wheel{tick: 1}
	ts := make([]Timer, 1000)
	for i := range ts {
		ts[i].Init(func() {})
	}
	var now int64
	run := func(t *Timer) { t.fire() }
	cycle := func() {
		for i := range ts {
			w.add(&ts[i], 5, 0)
		}
		now += 5
		w.advance(now, run)
	}
	cycle()
	if n := testing.AllocsPerRun(20, cycle); n != 0 {
		t.Fatalf("%v allocations per cycle", n)
	}
}
