package loop

import (
	"net/netip"
	"testing"
	"time"
)

// TestAfterFlush: a waiter runs once every connection written to before it
// came has been flushed, even when the flush spreads over several turns
// (3,000 connections, 1,024 per turn), and does not wait for writes made
// after it; with nothing queued it runs at the end of the turn.
func TestAfterFlush(t *testing.T) {
	m := NewMemory(&funcHandler{})
	defer m.Close()
	peers := make([]*MemPeer, 3000)
	for i := range peers {
		peers[i] = m.Dial(netip.MustParseAddrPort("127.0.0.1:1"))
		peers[i].SetDiscard(true)
	}
	frame := []byte("42[\"x\"]")
	type seen struct {
		name    string
		flushed int // peers with the frame when the waiter ran
	}
	got := make(chan seen, 3)
	waiter := func(name string) func() {
		return func() {
			n := 0
			for _, p := range peers {
				if p.Written() == len(frame) {
					n++
				}
			}
			got <- seen{name, n}
		}
	}
	m.do(func() {
		m.loop.AfterFlush(waiter("before"))
		for _, p := range peers {
			_ = p.Conn().Write(frame)
		}
		m.loop.AfterFlush(waiter("after"))
	})
	for _, want := range []seen{{"before", flushBudget}, {"after", len(peers)}} {
		select {
		case s := <-got:
			if s != want {
				t.Fatalf("waiter %q ran with %d connections flushed, want %+v", s.name, s.flushed, want)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("waiter %q never ran", want.name)
		}
	}
	m.do(func() { m.loop.AfterFlush(waiter("idle")) })
	if s := <-got; s.name != "idle" {
		t.Fatal(s)
	}
}
