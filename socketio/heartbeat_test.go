package socketio_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gobwas/ws"
	"github.com/gobwas/ws/wsutil"

	"github.com/sio-fast/sio-fast/engineio"
	"github.com/sio-fast/sio-fast/internal/looptest"
	"github.com/sio-fast/sio-fast/socketio"
)

// heartbeatServer serves a Socket.IO server with pingInterval 300 ms,
// pingTimeout 200 ms and a 1 s connect timeout, on loops with the default
// tick, and returns its base URL.
func heartbeatServer(t *testing.T) string {
	t.Helper()
	sio := socketio.NewServer(socketio.Config{ConnectTimeout: time.Second})
	t.Cleanup(func() { _ = sio.Close() })
	eio := sio.NewEngine(engineio.Config{PingInterval: 300 * time.Millisecond, PingTimeout: 200 * time.Millisecond})
	return looptest.URL(looptest.Serve(t, eio))
}

// A session that joins no namespace answers every ping at once: it gets
// three pings (300 ms after the open, then 300 ms after each pong) before
// the connect timeout closes it after 1 s, as on Node, where each ping
// leaves pingInterval after the pong. Pings sent at the wheel's ticks only
// came up to two ticks late each, and the third after the timeout.
func TestThreePingRoundsBeforeConnectTimeout(t *testing.T) {
	base := heartbeatServer(t)
	t.Run("websocket", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		nc := dialSIOWebSocket(ctx, t, base)
		pings := 0
		for {
			msg, err := wsutil.ReadServerText(nc)
			if err != nil {
				break // the server closed the session
			}
			switch {
			case msg[0] == '0':
			case string(msg) == "2":
				pings++
				if err := wsutil.WriteClientText(nc, []byte("3")); err != nil {
					t.Fatal(err)
				}
			default:
				t.Fatalf("unexpected %q", msg)
			}
		}
		if pings != 3 {
			t.Fatalf("%d ping rounds before the connect timeout, want 3", pings)
		}
	})
	t.Run("polling", func(t *testing.T) {
		url := base + "/socket.io/?EIO=4&transport=polling"
		code, body := pollDo(t, "GET", url, "")
		if code != 200 || !strings.HasPrefix(body, `0{"sid":"`) {
			t.Fatalf("handshake: %d %q", code, body)
		}
		url += "&sid=" + body[9:29]
		pings := 0
		for {
			code, body := pollDo(t, "GET", url, "")
			if code != 200 || body != "2" {
				break // the close packet, or 400 once the session is gone
			}
			pings++
			if code, body := pollDo(t, "POST", url, "3"); code != 200 || body != "ok" {
				t.Fatalf("pong: %d %q", code, body)
			}
		}
		if pings != 3 {
			t.Fatalf("%d ping rounds before the connect timeout, want 3", pings)
		}
	})
}

// wsConn is a client WebSocket: reads start with what the handshake's
// reader buffered (the open packet may come with the 101).
type wsConn struct {
	io.Reader
	net.Conn
}

func (c wsConn) Read(p []byte) (int, error) { return c.Reader.Read(p) }

// dialSIOWebSocket opens a WebSocket-only Engine.IO session at base's
// Socket.IO path, with a 5 s deadline, closed when the test ends.
func dialSIOWebSocket(ctx context.Context, t *testing.T, base string) wsConn {
	t.Helper()
	nc, br, _, err := ws.Dial(ctx, "ws"+strings.TrimPrefix(base, "http")+"/socket.io/?EIO=4&transport=websocket")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = nc.Close() })
	_ = nc.SetDeadline(time.Now().Add(5 * time.Second))
	if br != nil {
		return wsConn{io.MultiReader(br, nc), nc}
	}
	return wsConn{nc, nc}
}

func pollDo(t *testing.T, method, url, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	c := &http.Client{Timeout: 5 * time.Second}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}
