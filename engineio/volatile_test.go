package engineio

import (
	"bytes"
	"io"
	"testing"
	"time"

	"github.com/sio-fast/sio-fast/loop"
)

// startUpgradedAcrossLoops starts a server (pings a minute apart, out of
// the tests' way) and returns a session upgraded across loops, as
// upgradedAcrossLoops does.
func startUpgradedAcrossLoops(t *testing.T) (*Socket, *wsClient) {
	t.Helper()
	cfg := suiteConfig()
	cfg.PingInterval = time.Minute
	socks := make(chan *Socket, 8)
	_, base := startServer(t, cfg, func(srv *Server) {
		srv.OnConnection(func(s *Socket) { socks <- s })
	})
	return upgradedAcrossLoops(t, base, socks)
}

// upgradedAcrossLoops opens polling sessions and upgrades them until one's
// WebSocket lands on another loop than the one of its handshake (the loops
// take connections in turn, so the first try usually does). It checks that
// the session moved to the WebSocket's loop.
func upgradedAcrossLoops(t *testing.T, base string, socks <-chan *Socket) (*Socket, *wsClient) {
	t.Helper()
	for range 8 {
		sid := handshakePolling(t, base, eioPath)
		s := <-socks
		first := s.homeLoop()
		w := dialWS(t, base, "EIO=4&transport=websocket&sid="+sid)
		w.sendText(t, "2probe")
		if got := w.readText(t); got != "3probe" {
			t.Fatalf("probe answer %q", got)
		}
		w.sendText(t, "5")
		deadline := time.Now().Add(2 * time.Second)
		for s.Transport() != transportWebSocket && time.Now().Before(deadline) {
			time.Sleep(time.Millisecond)
		}
		var wsLoop, home *loop.Loop
		onHome(s, func() { wsLoop, home = s.ws.Loop(), s.homeLoop() })
		if wsLoop == first {
			w.nc.Close()
			continue
		}
		if home != wsLoop {
			t.Fatalf("session upgraded across loops stayed on loop %d, its WebSocket is on %d", home.Index(), wsLoop.Index())
		}
		return s, w
	}
	t.Fatal("no WebSocket landed on another loop than its session")
	return nil, nil
}

// A session upgraded to a WebSocket on another loop (and moved there) drops
// volatile messages while that WebSocket's client does not keep up, instead
// of queueing them until the slow-consumer cap closes it.
func TestVolatileDroppedAcrossLoops(t *testing.T) {
	s, w := startUpgradedAcrossLoops(t)

	// The client reads nothing: fill the kernel's buffers until the
	// WebSocket's loop reports a backlog.
	chunk := bytes.Repeat([]byte("x"), 64<<10)
	deadline := time.Now().Add(5 * time.Second)
	for writable := true; writable; {
		if time.Now().After(deadline) {
			t.Fatal("the WebSocket never became backlogged")
		}
		onHome(s, func() { s.sendMessages([]Message{{Data: chunk}}) })
		time.Sleep(20 * time.Millisecond) // a tick of the test server is 10 ms
		onHome(s, func() { writable = s.Writable() })
	}
	var sent bool
	onHome(s, func() { sent = s.WritePrepared(NewPrepared(Message{Data: []byte("volatile")}), true) })
	if sent {
		t.Fatal("volatile message queued behind a backlog")
	}

	// Once the client reads everything, the session is writable again.
	go func() { _, _ = io.Copy(io.Discard, w.nc) }()
	deadline = time.Now().Add(5 * time.Second)
	for {
		var writable bool
		onHome(s, func() { writable = s.Writable() })
		if writable {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("still not writable after the client read everything")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
