package socketio

import (
	"testing"
	"time"
)

// Server.Close finds every connection: one waiting for its first CONNECT,
// one in a namespace, and one that left every namespace.
func TestServerCloseFindsConnectionsInNoNamespace(t *testing.T) {
	h := newHarness(t, Config{})
	waiting := h.dial(4)
	joined, _ := connectOne(t, h)
	left, s := connectOne(t, h)
	left.in("41")
	waitFor(t, "the socket to leave", func() bool { return !s.Connected() })
	if err := h.srv.Close(); err != nil {
		t.Fatal(err)
	}
	for name, f := range map[string]*fakeES{"waiting": waiting, "joined": joined, "left": left} {
		waitFor(t, "the "+name+" connection to close", f.isClosed)
	}
}

// Only connections in no namespace are tracked, and the sweeper stops when
// none waits for its connect deadline.
func TestConnectSweeperStopsWhenNoneWaits(t *testing.T) {
	h := newHarness(t, Config{ConnectTimeout: 40 * time.Millisecond})
	for range 3 {
		connectOne(t, h)
	}
	h.srv.connsMu.Lock()
	n := len(h.srv.unjoined)
	h.srv.connsMu.Unlock()
	if n != 0 {
		t.Fatalf("%d connected sessions still tracked", n)
	}
	waitFor(t, "the sweeper to stop", func() bool {
		h.srv.connsMu.Lock()
		defer h.srv.connsMu.Unlock()
		return !h.srv.sweeping
	})
	late := h.dial(4) // starts the sweeper again
	late.waitClosed(t, time.Second)
}

// A connection that left its namespaces is not closed by the connect
// timeout (Node's timeout only covers the first CONNECT).
func TestConnectTimeoutSparesConnectionThatLeft(t *testing.T) {
	h := newHarness(t, Config{ConnectTimeout: 20 * time.Millisecond})
	f, s := connectOne(t, h)
	f.in("41")
	waitFor(t, "the socket to leave", func() bool { return !s.Connected() })
	time.Sleep(80 * time.Millisecond)
	if f.isClosed() {
		t.Fatal("a session that had joined a namespace was closed by the connect timeout")
	}
}

func TestSweepInterval(t *testing.T) {
	for _, c := range []struct{ timeout, want time.Duration }{
		{45 * time.Second, time.Second},
		{800 * time.Millisecond, 100 * time.Millisecond},
		{10 * time.Millisecond, 5 * time.Millisecond},
	} {
		if got := sweepInterval(c.timeout); got != c.want {
			t.Errorf("sweepInterval(%v) = %v, want %v", c.timeout, got, c.want)
		}
	}
}
