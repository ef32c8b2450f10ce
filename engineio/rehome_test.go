package engineio

import (
	"strconv"
	"testing"
	"time"

	"github.com/gobwas/ws"

	"github.com/sio-fast/sio-fast/internal/looptest"
	"github.com/sio-fast/sio-fast/loop"
)

// A session upgraded to a WebSocket on another loop lives on that loop
// afterwards: its writes are direct (no Conn.AsyncWrite, the hop through a
// loop's inbox), and its heartbeat moved with it: pings keep coming while
// the client answers, and it is closed when the client stops.
func TestUpgradeMovesSessionToWebSocketLoop(t *testing.T) {
	socks := make(chan *Socket, 8)
	srv := NewServer(suiteConfig())
	srv.OnConnection(func(s *Socket) { socks <- s })
	ls := looptest.Serve(t, srv, loop.WithTickInterval(10*time.Millisecond))
	s, w := upgradedAcrossLoops(t, looptest.URL(ls), socks) // checks the home

	hops := ls.Stats().AsyncWrites
	const n = 50
	for i := range n {
		s.SendText([]byte(strconv.Itoa(i)))
	}
	for i := 0; i < n; {
		switch got := w.readText(t); got {
		case "2":
			w.sendText(t, "3")
		case "4" + strconv.Itoa(i):
			i++
		default:
			t.Fatalf("message %d: got %q", i, got)
		}
	}
	if d := ls.Stats().AsyncWrites - hops; d != 0 {
		t.Fatalf("%d of %d writes hopped to the WebSocket's loop", d, n)
	}

	for range 3 { // pings keep coming from the new loop's wheel while answered
		op, p, ok := w.read(t, 5*time.Second)
		if !ok || op != ws.OpText || string(p) != "2" {
			t.Fatalf("waiting for a ping: op=%v ok=%v %q", op, ok, p)
		}
		w.sendText(t, "3")
	}
	if s.ReadyState() != StateOpen {
		t.Fatalf("session %s while answering pings", s.ReadyState())
	}
	for { // then silence: the pong deadline closes it
		if _, _, ok := w.read(t, 10*time.Second); !ok {
			break
		}
	}
	if s.ReadyState() != StateClosed {
		t.Fatalf("session %s after the ping timeout", s.ReadyState())
	}
}
