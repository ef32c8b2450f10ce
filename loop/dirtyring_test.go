package loop

import (
	"net/netip"
	"strings"
	"testing"
	"time"
)

// TestDirtyRingKeepsOrder: 3,000 connections written to in one turn take
// their queues from 24 chunks of the ring; the flush spreads over turns
// (1,024 per turn) while the next turn writes again, which joins the queues
// not yet flushed and lends new ones, behind, to those flushed (the used
// chunks go round). Some connections close meanwhile, by the peer (their
// queue emptied while lent) or by the server (flushed out of turn): every
// connection receives each of its bytes once, in order, nothing after its
// close, and once all is flushed every queue is back, empty, unbound.
func TestDirtyRingKeepsOrder(t *testing.T) {
	m := NewMemory(&funcHandler{})
	defer m.Close()
	peers := make([]*MemPeer, 3000)
	for i := range peers {
		peers[i] = m.Dial(netip.MustParseAddrPort("127.0.0.1:1"))
	}
	want := make([]strings.Builder, len(peers))
	closed := make([]bool, len(peers))
	for round := range 3 {
		a, b := []byte{byte('a' + 2*round)}, []byte{byte('b' + 2*round)}
		m.do(func() {
			for i, p := range peers {
				if !closed[i] {
					_ = p.Conn().Write(a)
					want[i].Write(a)
				}
			}
		})
		m.do(func() {
			for i, p := range peers {
				if closed[i] {
					continue
				}
				c := p.Conn()
				waiting := c.pend != nil // "a" not flushed yet: b joins its queue
				_ = c.Write(b)
				want[i].Write(b)
				switch {
				case i%97 == round && waiting:
					// Closed by the peer: what is queued is dropped, the
					// queue stays lent until the flush reaches it.
					p.closeServerSide(errEOF)
					s := want[i].String()
					want[i].Reset()
					want[i].WriteString(s[:len(s)-2])
					closed[i] = true
				case i%89 == round:
					c.CloseWithError(ErrLocalClose) // flushed now, out of turn
					closed[i] = true
				}
			}
		})
	}
	for i, p := range peers {
		var got strings.Builder
		deadline := time.Now().Add(10 * time.Second)
		for got.Len() < want[i].Len() && time.Now().Before(deadline) {
			b, _ := p.Recv(time.Second)
			got.Write(b)
		}
		if got.String() != want[i].String() {
			t.Fatalf("connection %d received %q, want %q", i, got.String(), want[i].String())
		}
	}
	settled := func() (n int, dirty bool) {
		m.do(func() {
			n = m.loop.dirty.n
			for _, p := range peers {
				dirty = dirty || p.Conn().pend != nil
			}
		})
		return n, dirty
	}
	for n, dirty := settled(); n > 0 || dirty; n, dirty = settled() {
		time.Sleep(time.Millisecond)
	}
	m.do(func() {
		for _, ch := range m.loop.dirty.chunks {
			for i := range ch {
				if q := &ch[i]; q.c != nil || q.n != 0 || len(q.bufs) != 0 || q.first[0] != nil {
					t.Fatalf("queue %d of its chunk not given back empty: %+v", i, q)
				}
			}
		}
	})
	for i, p := range peers {
		if extra, _ := p.Recv(0); len(extra) > 0 {
			t.Fatalf("connection %d received %q more", i, extra)
		}
	}
}

// TestDirtyRingChunksGoRound drives the ring directly: queues come back in
// the order they were lent while the oldest chunk moves round, a lend that
// finds every chunk in use adds one behind the last in use (also when the
// oldest is not the first in the list), and a ring that empties starts again
// where it is, without growing.
func TestDirtyRingChunksGoRound(t *testing.T) {
	var r dirtyRing
	conns := make([]Conn, 10*pendChunkLen)
	next, done := 0, 0 // conns lent, conns released
	lend := func(k int) {
		for range k {
			q := r.lend(&conns[next])
			conns[next].pend = q
			next++
		}
	}
	release := func(k int) {
		for range k {
			q := r.oldest()
			if q.c != &conns[done] {
				t.Fatalf("released queue %d is bound to another conn", done)
			}
			r.release()
			if conns[done].pend != nil || q.c != nil {
				t.Fatalf("queue %d still bound after release", done)
			}
			done++
		}
	}
	lend(3 * pendChunkLen)      // three chunks in use
	release(2*pendChunkLen + 5) // the oldest is now in the third chunk
	if r.first != 2 || len(r.chunks) != 3 {
		t.Fatalf("first %d of %d chunks, want 2 of 3", r.first, len(r.chunks))
	}
	lend(2 * pendChunkLen) // fills the two free chunks, wrapping round
	if len(r.chunks) != 3 {
		t.Fatalf("%d chunks, want the 3 reused", len(r.chunks))
	}
	lend(pendChunkLen) // every chunk in use: one more, behind the newest
	if len(r.chunks) != 4 || r.first != 0 {
		t.Fatalf("first %d of %d chunks, want 0 of 4", r.first, len(r.chunks))
	}
	release(next - done) // all back, in order
	if r.n != 0 || r.head != 0 {
		t.Fatalf("n %d head %d after releasing all", r.n, r.head)
	}
	lend(4 * pendChunkLen) // fits the four chunks kept
	release(next - done)
	if len(r.chunks) != 4 {
		t.Fatalf("%d chunks, want the 4 kept", len(r.chunks))
	}
}
