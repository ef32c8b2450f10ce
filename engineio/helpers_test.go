package engineio

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gobwas/ws"

	"github.com/sio-fast/sio-fast/internal/looptest"
	"github.com/sio-fast/sio-fast/internal/wsframe"
	"github.com/sio-fast/sio-fast/loop"
)

// suiteConfig is the configuration of the official test suites.
func suiteConfig() Config {
	return Config{PingInterval: 300 * time.Millisecond, PingTimeout: 200 * time.Millisecond}
}

// startEcho serves an Engine.IO echo server: every message comes back.
func startEcho(t testing.TB, cfg Config) (*Server, string) {
	t.Helper()
	return startServer(t, cfg, nil)
}

// echo makes s send every message back.
func echo(s *Socket) {
	s.OnMessage(func(data []byte, binary bool) {
		s.sendMessages([]Message{{Data: append([]byte(nil), data...), Binary: binary}})
	})
}

// startServer serves an echo server; setup (optional) may change the server
// before it starts, e.g. replace OnConnection.
func startServer(t testing.TB, cfg Config, setup func(*Server)) (*Server, string) {
	t.Helper()
	srv := newEcho(cfg, setup)
	ls := looptest.Serve(t, srv, loop.WithTickInterval(10*time.Millisecond))
	return srv, looptest.URL(ls)
}

// newEcho builds an echo server, then runs setup (optional) on it.
func newEcho(cfg Config, setup func(*Server)) *Server {
	srv := NewServer(cfg)
	srv.OnConnection(echo)
	if setup != nil {
		setup(srv)
	}
	return srv
}

// startWithSessions starts a server with cfg whose new sessions arrive on
// the returned channel; setup, if not nil, configures the server first.
func startWithSessions(t testing.TB, cfg Config, setup func(*Server)) (string, <-chan *Socket) {
	t.Helper()
	got := make(chan *Socket, 1)
	_, base := startServer(t, cfg, func(srv *Server) {
		if setup != nil {
			setup(srv)
		}
		srv.OnConnection(func(s *Socket) { got <- s })
	})
	return base, got
}

var client = &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 16}}

func httpDo(t testing.TB, method, url, body string) (int, string, http.Header) {
	t.Helper()
	resp, b := request(t, method, url, body, nil)
	return resp.StatusCode, b, resp.Header
}

// request sends one request with the header fields of hdr (may be nil)
// and returns the response, its body read and closed, and the body.
func request(t testing.TB, method, url, body string, hdr http.Header) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// handshakePolling opens a polling session and returns its sid.
func handshakePolling(t testing.TB, base, path string) string {
	t.Helper()
	code, body, _ := httpDo(t, "GET", base+path+"?EIO=4&transport=polling", "")
	if code != 200 || !strings.HasPrefix(body, `0{"sid":"`) {
		t.Fatalf("handshake: %d %q", code, body)
	}
	return body[9 : 9+20]
}

// wsClient is a minimal WebSocket client for black-box tests.
type wsClient struct {
	nc net.Conn
	r  *bufio.Reader
}

func dialWS(t testing.TB, base, query string) *wsClient {
	t.Helper()
	w, resp := dialUpgrade(t, base, "/engine.io/?"+query, "", nil)
	mustSwitch(t, resp)
	return w
}

// dialWSPipelined sends an upgrade request and, in the same write, a text
// frame, then reads the 101.
func dialWSPipelined(t testing.TB, base, target, text string) *wsClient {
	t.Helper()
	frame := wsframe.AppendClientFrame(nil, ws.OpText, true, [4]byte{1, 2, 3, 4}, []byte(text))
	w, resp := dialUpgrade(t, base, target, "", frame)
	mustSwitch(t, resp)
	return w
}

// mustSwitch fails t unless resp is a 101.
func mustSwitch(t testing.TB, resp *http.Response) {
	t.Helper()
	if resp.StatusCode != 101 {
		t.Fatalf("upgrade status %d", resp.StatusCode)
	}
}

// dialRaw opens a TCP connection to the test server, closed at the end.
func dialRaw(t testing.TB, base string) net.Conn {
	t.Helper()
	nc, err := net.DialTimeout("tcp", strings.TrimPrefix(base, "http://"), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = nc.Close() })
	return nc
}

// upgradeRequest is a WebSocket upgrade request for target (path and
// query) with extra header lines ("K: v\r\n" each).
func upgradeRequest(host, target, extra string) string {
	return "GET " + target + " HTTP/1.1\r\nHost: " + host +
		"\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" +
		extra + "\r\n"
}

// dialUpgrade sends a WebSocket upgrade for target with extra header lines
// and, in the same write, the bytes of after, and returns the response,
// whatever its status. The client is usable only after a 101.
func dialUpgrade(t testing.TB, base, target, extra string, after []byte) (*wsClient, *http.Response) {
	t.Helper()
	nc := dialRaw(t, base)
	req := upgradeRequest(strings.TrimPrefix(base, "http://"), target, extra)
	if _, err := nc.Write(append([]byte(req), after...)); err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(nc)
	_ = nc.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := http.ReadResponse(r, nil)
	if err != nil {
		t.Fatal(err)
	}
	return &wsClient{nc: nc, r: r}, resp
}

func (w *wsClient) send(t testing.TB, op ws.OpCode, payload []byte) {
	t.Helper()
	frame := wsframe.AppendClientFrame(nil, op, true, [4]byte{1, 2, 3, 4}, payload)
	if _, err := w.nc.Write(frame); err != nil {
		t.Fatal(err)
	}
}

func (w *wsClient) sendText(t testing.TB, s string) { w.send(t, ws.OpText, []byte(s)) }

// read returns the next data frame; ok is false when the connection closed
// (or a close frame arrived).
func (w *wsClient) read(t testing.TB, timeout time.Duration) (op ws.OpCode, payload []byte, ok bool) {
	t.Helper()
	_ = w.nc.SetReadDeadline(time.Now().Add(timeout))
	for {
		h, err := ws.ReadHeader(w.r)
		if err != nil {
			return 0, nil, false
		}
		p := make([]byte, h.Length)
		if _, err := io.ReadFull(w.r, p); err != nil {
			return 0, nil, false
		}
		if h.OpCode == ws.OpClose {
			return h.OpCode, p, false
		}
		if h.OpCode == ws.OpPing || h.OpCode == ws.OpPong {
			continue
		}
		return h.OpCode, p, true
	}
}

func (w *wsClient) readText(t testing.TB) string {
	t.Helper()
	op, p, ok := w.read(t, 5*time.Second)
	if !ok || op != ws.OpText {
		t.Fatalf("expected a text frame, got op=%v ok=%v %q", op, ok, p)
	}
	return string(p)
}

// dialWSOpen opens a WebSocket-only session and returns the client and the
// open packet's text.
func dialWSOpen(t testing.TB, base, query string) (*wsClient, string) {
	t.Helper()
	w := dialWS(t, base, query)
	return w, w.readText(t)
}

// sendBinary sends one binary frame.
func (w *wsClient) sendBinary(t testing.TB, b []byte) { w.send(t, ws.OpBinary, b) }

// waitClose reads until the connection ends: it returns the close code of
// the server's close frame (0 when the TCP connection ended without one),
// the data frames read before it, and false on a timeout.
func (w *wsClient) waitClose(timeout time.Duration) (code int, frames []string, ok bool) {
	_ = w.nc.SetReadDeadline(time.Now().Add(timeout))
	for {
		h, err := ws.ReadHeader(w.r)
		if err != nil {
			if ne, isNet := err.(net.Error); isNet && ne.Timeout() {
				return 0, frames, false
			}
			return 0, frames, true
		}
		p := make([]byte, h.Length)
		if _, err := io.ReadFull(w.r, p); err != nil {
			return 0, frames, true
		}
		switch h.OpCode {
		case ws.OpClose:
			if len(p) >= 2 {
				return int(p[0])<<8 | int(p[1]), frames, true
			}
			return 1005, frames, true
		case ws.OpPing, ws.OpPong:
		default:
			frames = append(frames, string(p))
		}
	}
}

// closeLog records the close reasons of a server's sessions.
type closeLog struct{ ch chan string }

func newCloseLog() *closeLog { return &closeLog{ch: make(chan string, 64)} }

// attach makes every new session echo and record "reason|description".
func (l *closeLog) attach(srv *Server) {
	srv.OnConnection(func(s *Socket) {
		echo(s)
		s.OnClose(func(reason, desc string) { l.ch <- reason + "|" + desc })
	})
}

func (l *closeLog) next(t testing.TB, timeout time.Duration) string {
	t.Helper()
	select {
	case r := <-l.ch:
		return r
	case <-time.After(timeout):
		t.Fatal("no session closed")
		return ""
	}
}

// onHome runs fn on s's home loop and waits for it.
func onHome(s *Socket, fn func()) {
	done := make(chan struct{})
	s.Execute(func() { fn(); close(done) })
	<-done
}

// maxPingTimeoutLag bounds how long after the handshake a silent session of
// suiteConfig may live: pingInterval + pingTimeout (500 ms) plus the timer
// wheel's granularity and slack for a loaded machine (the loop's ticker
// drops ticks when its goroutine is starved).
const maxPingTimeoutLag = 1500 * time.Millisecond
