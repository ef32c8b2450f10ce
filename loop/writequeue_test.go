package loop

import "testing"

// A flushed connection gives its write queue back to the loop: idle
// connections hold none, and the next connection written to reuses it.
func TestFlushedConnHoldsNoWriteQueue(t *testing.T) {
	l := newTestLoop()
	a := &Conn{t: &nopTransport{}, loop: l}
	b := &Conn{t: &nopTransport{}, loop: l}
	l.enter()
	_ = a.Write([]byte("x"))
	queue := a.pend
	l.leave()
	if a.pend != nil || a.pendBytes() != 0 {
		t.Fatalf("flushed connection keeps its queue: %+v", a.pend)
	}
	if len(queue.bufs) != 0 || queue.n != 0 || queue.first[0] != nil {
		t.Fatalf("queue given back unemptied: %d buffers, %d bytes", len(queue.bufs), queue.n)
	}
	l.enter()
	_ = b.Write([]byte("y"))
	if b.pend != queue {
		t.Fatal("the next connection did not reuse the queue")
	}
	l.leave()
	if tr := b.t.(*nopTransport); tr.n != 1 {
		t.Fatalf("wrote %d bytes, want 1", tr.n)
	}
	// A queue that outgrew its first four buffers keeps no reference to any
	// buffer once given back.
	l.enter()
	for range 10 {
		_ = b.Write([]byte("z"))
	}
	grown := b.pend
	l.leave()
	if len(grown.bufs) != 0 || cap(grown.bufs) <= 4 {
		t.Fatalf("grown queue given back with len %d, cap %d", len(grown.bufs), cap(grown.bufs))
	}
	for _, s := range append(grown.first[:], grown.bufs[:cap(grown.bufs)]...) {
		if s != nil {
			t.Fatal("grown queue given back holding buffers")
		}
	}
}
