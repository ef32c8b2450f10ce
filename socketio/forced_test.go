package socketio_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/gobwas/ws/wsutil"

	"github.com/sio-fast/sio-fast/engineio"
	"github.com/sio-fast/sio-fast/internal/looptest"
	"github.com/sio-fast/sio-fast/socketio"
)

// reasonServer serves a Socket.IO server whose sockets report their
// disconnect reason on the returned channel.
func reasonServer(t *testing.T) (string, <-chan socketio.DisconnectReason) {
	t.Helper()
	reasons := make(chan socketio.DisconnectReason, 4)
	sio := socketio.NewServer(socketio.Config{})
	t.Cleanup(func() { _ = sio.Close() })
	sio.OnConnection(func(s *socketio.Socket) {
		s.OnDisconnect(func(_ *socketio.Socket, r socketio.DisconnectReason) { reasons <- r })
	})
	return looptest.URL(looptest.Serve(t, sio.NewEngine(engineio.Config{}))), reasons
}

func nextReason(t *testing.T, reasons <-chan socketio.DisconnectReason) socketio.DisconnectReason {
	t.Helper()
	select {
	case r := <-reasons:
		return r
	case <-time.After(5 * time.Second):
		t.Fatal("no disconnect")
		return ""
	}
}

// A second CONNECT for a joined namespace is an invalid state that closes
// the session (Node's Client.close). Node's sockets see "forced close" when
// the engine closes its transport at once (a WebSocket, a polling GET
// waiting) and "forced server close" otherwise (polling with no GET
// waiting), at once, not when the client next polls (features.md 1.9).
func TestInvalidStateCloseReasons(t *testing.T) {
	t.Run("websocket", func(t *testing.T) {
		base, reasons := reasonServer(t)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		nc := dialSIOWebSocket(ctx, t, base)
		// The open packet, then CONNECT and its answer, then CONNECT again.
		for _, step := range []struct{ send, want string }{{"", "0"}, {"40", "40"}, {"40", ""}} {
			if step.send != "" {
				if err := wsutil.WriteClientText(nc, []byte(step.send)); err != nil {
					t.Fatal(err)
				}
			}
			if step.want == "" {
				break
			}
			msg, err := wsutil.ReadServerText(nc)
			if err != nil || !strings.HasPrefix(string(msg), step.want) {
				t.Fatalf("%q %v, want %s...", msg, err, step.want)
			}
		}
		if r := nextReason(t, reasons); r != socketio.ReasonForcedClose {
			t.Fatalf("reason %q, want %q", r, socketio.ReasonForcedClose)
		}
	})
	polling := func(t *testing.T, getWaiting bool, want socketio.DisconnectReason) {
		base, reasons := reasonServer(t)
		url := base + "/socket.io/?EIO=4&transport=polling"
		code, body := pollDo(t, "GET", url, "")
		if code != 200 || !strings.HasPrefix(body, `0{"sid":"`) {
			t.Fatalf("handshake: %d %q", code, body)
		}
		url += "&sid=" + body[9:29]
		if code, _ := pollDo(t, "POST", url, "40"); code != 200 {
			t.Fatalf("CONNECT: %d", code)
		}
		if code, body := pollDo(t, "GET", url, ""); code != 200 || !strings.HasPrefix(body, "40") {
			t.Fatalf("CONNECT answer: %d %q", code, body)
		}
		parked := make(chan string, 1)
		if getWaiting {
			go func() { _, body := pollDo(t, "GET", url, ""); parked <- body }()
			time.Sleep(100 * time.Millisecond) // the GET waits on the session
		}
		if code, _ := pollDo(t, "POST", url, "40"); code != 200 {
			t.Fatalf("second CONNECT: %d", code)
		}
		// The reason comes before any further GET.
		if r := nextReason(t, reasons); r != want {
			t.Fatalf("reason %q, want %q", r, want)
		}
		if !getWaiting {
			go func() { _, body := pollDo(t, "GET", url, ""); parked <- body }()
		}
		if body := <-parked; body != "1" {
			t.Fatalf("GET after the close: %q, want the close packet", body)
		}
	}
	t.Run("polling with a GET waiting", func(t *testing.T) { polling(t, true, socketio.ReasonForcedClose) })
	t.Run("polling without a GET", func(t *testing.T) { polling(t, false, socketio.ReasonForcedServerClose) })
}
