package engineio

import (
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/gobwas/ws"
)

const wsQuery = "EIO=4&transport=websocket"

// protocol.md §6.10
func TestWSHandshakeExact(t *testing.T) {
	_, base := startEcho(t, suiteConfig())
	_, open := dialWSOpen(t, base, wsQuery)
	if len(open) < 29 {
		t.Fatalf("open %q", open)
	}
	want := `0{"sid":"` + open[9:29] + `","upgrades":[],"pingInterval":300,"pingTimeout":200,"maxPayload":1000000}`
	if open != want {
		t.Fatalf("got  %q\nwant %q", open, want)
	}
}

// protocol.md §6.11
func TestWSEcho(t *testing.T) {
	_, base := startEcho(t, suiteConfig())
	w, _ := dialWSOpen(t, base, wsQuery)
	w.sendText(t, "4hello")
	if got := w.readText(t); got != "4hello" {
		t.Fatalf("text echo %q", got)
	}
	w.sendBinary(t, []byte{1, 2, 3, 4})
	op, p, ok := w.read(t, 5*time.Second)
	if !ok || op != ws.OpBinary || string(p) != "\x01\x02\x03\x04" {
		t.Fatalf("binary echo: op=%v ok=%v %x", op, ok, p)
	}
}

// protocol.md §6.12: bad packets and a client close end the session with
// Node's reasons.
func TestWSClosingPackets(t *testing.T) {
	cases := []struct{ send, reason string }{
		{"abc", ReasonParseError},
		{"1", ReasonTransportClose},
		{"2", ReasonTransportError}, // v4: the client must not ping
	}
	for _, c := range cases {
		log := newCloseLog()
		srv, base := startServer(t, suiteConfig(), log.attach)
		w, _ := dialWSOpen(t, base, wsQuery)
		w.sendText(t, c.send)
		if _, _, ok := w.waitClose(2 * time.Second); !ok {
			t.Fatalf("%q: socket not closed", c.send)
		}
		if r := log.next(t, 2*time.Second); !strings.HasPrefix(r, c.reason+"|") {
			t.Fatalf("%q: reason %q, want %q", c.send, r, c.reason)
		}
		waitFor(t, func() bool { return srv.ClientsCount() == 0 })
	}
}

// protocol.md §6.12: a client that never answers pings is gone within
// pingInterval + pingTimeout (+ timer granularity).
func TestWSPingTimeout(t *testing.T) {
	log := newCloseLog()
	srv, base := startServer(t, suiteConfig(), log.attach)
	start := time.Now()
	w, _ := dialWSOpen(t, base, wsQuery)
	_, frames, ok := w.waitClose(2 * time.Second)
	elapsed := time.Since(start)
	if !ok {
		t.Fatal("not closed")
	}
	if len(frames) != 1 || frames[0] != "2" {
		t.Fatalf("frames before close %q, want one ping", frames)
	}
	if elapsed < 450*time.Millisecond || elapsed > maxPingTimeoutLag {
		t.Fatalf("closed after %v, want ~500ms", elapsed)
	}
	if r := log.next(t, time.Second); r != ReasonPingTimeout+"|" {
		t.Fatalf("reason %q", r)
	}
	waitFor(t, func() bool { return srv.ClientsCount() == 0 })
}

// protocol.md §6.13
func TestWSHeartbeat(t *testing.T) {
	_, base := startEcho(t, suiteConfig())
	w, _ := dialWSOpen(t, base, wsQuery)
	for i := 0; i < 3; i++ {
		if got := w.readText(t); got != "2" {
			t.Fatalf("round %d: %q, want ping", i, got)
		}
		w.sendText(t, "3")
	}
	w.sendText(t, "4still here")
	if got := w.readText(t); got != "4still here" {
		t.Fatalf("after heartbeats: %q", got)
	}
}

// protocol.md §6.14: the whole upgrade, with a pending GET released by a
// noop, a GET arriving during the upgrade released too, buffered messages
// flushed over the WebSocket, polling refused afterwards and a second
// WebSocket closed without disturbing the first.
func TestUpgradeFlow(t *testing.T) {
	cfg := suiteConfig()
	cfg.PingInterval = 5 * time.Second
	var sock *Socket
	got := make(chan *Socket, 1)
	srv, base := startServer(t, cfg, func(srv *Server) {
		srv.OnConnection(func(s *Socket) { echo(s); got <- s })
	})
	sid := handshakePolling(t, base, eioPath)
	sock = <-got
	url := base + eioPath + "?EIO=4&transport=polling&sid=" + sid
	pending := make(chan string, 1)
	go func() { _, body, _ := httpDo(t, "GET", url, ""); pending <- body }()
	time.Sleep(50 * time.Millisecond)

	w := dialWS(t, base, "EIO=4&transport=websocket&sid="+sid)
	w.sendText(t, "2probe")
	if got := w.readText(t); got != "3probe" {
		t.Fatalf("probe answer %q", got)
	}
	if body := <-pending; body != "6" {
		t.Fatalf("pending GET got %q, want noop", body)
	}
	// A GET during the upgrade is released at once.
	if code, body, _ := httpDo(t, "GET", url, ""); code != 200 || body != "6" {
		t.Fatalf("GET while upgrading: %d %q", code, body)
	}
	// Messages sent before "5" wait for the new transport.
	sock.SendText([]byte("queued"))
	time.Sleep(20 * time.Millisecond)
	w.sendText(t, "5")
	if got := w.readText(t); got != "4queued" {
		t.Fatalf("buffered message %q", got)
	}
	w.sendText(t, "4hello")
	if got := w.readText(t); got != "4hello" {
		t.Fatalf("echo over ws %q", got)
	}
	if sock.Transport() != transportWebSocket {
		t.Fatalf("transport %q", sock.Transport())
	}
	onHome(sock, func() {
		if sock.poll != nil {
			t.Error("the upgraded session kept its polling state")
		}
	})
	if code, _, _ := httpDo(t, "GET", url, ""); code != 400 {
		t.Fatalf("polling GET after upgrade: %d", code)
	}
	if code, _, _ := httpDo(t, "POST", url, "4x"); code != 400 {
		t.Fatalf("polling POST after upgrade: %d", code)
	}
	second := dialWS(t, base, "EIO=4&transport=websocket&sid="+sid)
	if _, frames, ok := second.waitClose(2 * time.Second); !ok || len(frames) != 0 {
		t.Fatalf("second ws: closed=%v frames=%q", ok, frames)
	}
	w.sendText(t, "4after")
	if got := w.readText(t); got != "4after" {
		t.Fatalf("first ws disturbed: %q", got)
	}
	if srv.ClientsCount() != 1 {
		t.Fatalf("clients %d", srv.ClientsCount())
	}
}

// A session opened over WebSocket has no polling state, sessions are 128
// bytes and a WebSocket's reader state 32: a large server holds one of each
// per idle connection.
func TestWebSocketSessionIsCompact(t *testing.T) {
	if n := unsafe.Sizeof(Socket{}); n > 128 {
		t.Fatalf("Socket is %d bytes, want at most 128", n)
	}
	if n := unsafe.Sizeof(wsState{}); n > 32 {
		t.Fatalf("wsState is %d bytes, want at most 32", n)
	}
	base, got := startWithSessions(t, suiteConfig(), nil)
	dialWS(t, base, "EIO=4&transport=websocket")
	sock := <-got
	onHome(sock, func() {
		if sock.poll != nil {
			t.Error("a WebSocket session has polling state")
		}
	})
}

// A probe that sends anything but "2probe" then "5" is closed; the session
// keeps polling.
func TestUpgradeBadProbe(t *testing.T) {
	_, base := startEcho(t, suiteConfig())
	sid := handshakePolling(t, base, eioPath)
	url := base + eioPath + "?EIO=4&transport=polling&sid=" + sid
	w := dialWS(t, base, "EIO=4&transport=websocket&sid="+sid)
	w.sendText(t, "4hello")
	if _, frames, ok := w.waitClose(2 * time.Second); !ok || len(frames) != 0 {
		t.Fatalf("probe: closed=%v frames=%q", ok, frames)
	}
	if code, _, _ := httpDo(t, "POST", url, "4poll"); code != 200 {
		t.Fatalf("POST %d", code)
	}
	if _, body, _ := httpDo(t, "GET", url, ""); body != "4poll" {
		t.Fatalf("GET %q", body)
	}
}

// An upgrade that never sends "5" is dropped after upgradeTimeout.
func TestUpgradeTimeout(t *testing.T) {
	cfg := suiteConfig()
	cfg.PingInterval = 5 * time.Second
	cfg.UpgradeTimeout = 200 * time.Millisecond
	_, base := startEcho(t, cfg)
	sid := handshakePolling(t, base, eioPath)
	url := base + eioPath + "?EIO=4&transport=polling&sid=" + sid
	w := dialWS(t, base, "EIO=4&transport=websocket&sid="+sid)
	w.sendText(t, "2probe")
	if got := w.readText(t); got != "3probe" {
		t.Fatalf("probe answer %q", got)
	}
	if _, _, ok := w.waitClose(2 * time.Second); !ok {
		t.Fatal("probe not closed after the upgrade timeout")
	}
	if code, _, _ := httpDo(t, "POST", url, "4poll"); code != 200 {
		t.Fatalf("POST %d", code)
	}
	if _, body, _ := httpDo(t, "GET", url, ""); body != "4poll" {
		t.Fatalf("GET %q", body)
	}
}

// A WebSocket message over maxPayload closes with 1009 and "transport error".
func TestWSMaxPayload(t *testing.T) {
	cfg := suiteConfig()
	cfg.PingInterval = 5 * time.Second
	cfg.MaxHTTPBufferSize = 100
	log := newCloseLog()
	srv, base := startServer(t, cfg, log.attach)
	w, _ := dialWSOpen(t, base, wsQuery)
	w.sendText(t, "4"+strings.Repeat("x", 99)) // exactly maxPayload: accepted
	if got := w.readText(t); len(got) != 100 {
		t.Fatalf("echo of %d bytes", len(got))
	}
	w.sendText(t, "4"+strings.Repeat("x", 100))
	code, _, ok := w.waitClose(2 * time.Second)
	if !ok || code != 1009 {
		t.Fatalf("close code %d (closed %v), want 1009", code, ok)
	}
	if r := log.next(t, time.Second); r != ReasonTransportError+"|Max payload size exceeded" {
		t.Fatalf("reason %q", r)
	}
	waitFor(t, func() bool { return srv.ClientsCount() == 0 })
}

// A WebSocket whose TCP connection vanishes ends the session and leaves no
// timer armed.
func TestWSVanishedClientCleanedUp(t *testing.T) {
	cfg := suiteConfig()
	cfg.PingInterval = 5 * time.Second
	log := newCloseLog()
	var sock *Socket
	got := make(chan *Socket, 1)
	srv, base := startServer(t, cfg, func(srv *Server) {
		srv.OnConnection(func(s *Socket) {
			echo(s)
			s.OnClose(func(reason, desc string) { log.ch <- reason + "|" + desc })
			got <- s
		})
	})
	w, _ := dialWSOpen(t, base, wsQuery)
	sock = <-got
	_ = w.nc.Close()
	if r := log.next(t, 2*time.Second); r != ReasonTransportClose+"|" {
		t.Fatalf("reason %q", r)
	}
	if n := srv.ClientsCount(); n != 0 {
		t.Fatalf("clients %d", n)
	}
	onHome(sock, func() {
		if sock.heartbeat.Armed() || upgradeArmed(sock) {
			t.Error("timer still armed after close")
		}
	})
}

// Engine.IO 6.6 (features.md, pingTimeout): while a pong is awaited, the
// first other packet from the client moves the deadline once; later ones do
// not. Ping at t0, pong due at t0+600 ms; a message at t0+300 moves the
// deadline to t0+900; one at t0+700 must not move it to t0+1300.
func TestWSPongDeadlineMovedOnceByOtherPackets(t *testing.T) {
	log := newCloseLog()
	cfg := suiteConfig()
	// Wide margins so a loaded machine cannot blur the three behaviours:
	// no refresh closes ~2 s after the ping, one refresh (by the first
	// message, 1 s in) ~3 s, a refresh per packet (the second, 2.5 s in)
	// ~4.5 s.
	cfg.PingTimeout = 2 * time.Second
	_, base := startServer(t, cfg, log.attach)
	w, _ := dialWSOpen(t, base, wsQuery)
	if got := w.readText(t); got != "2" {
		t.Fatalf("%q, want ping", got)
	}
	pinged := time.Now()
	time.Sleep(time.Second)
	w.sendText(t, "4first")
	time.Sleep(1500 * time.Millisecond)
	w.sendText(t, "4second")
	_, frames, ok := w.waitClose(4 * time.Second)
	elapsed := time.Since(pinged)
	if !ok {
		t.Fatal("not closed")
	}
	if len(frames) == 0 || frames[0] != "4first" {
		t.Fatalf("frames before close %q, want the echo of the first message", frames)
	}
	if elapsed < 2500*time.Millisecond || elapsed > 3900*time.Millisecond {
		t.Fatalf("closed %v after the ping, want ~3 s (one refresh)", elapsed)
	}
	if r := log.next(t, time.Second); r != ReasonPingTimeout+"|" {
		t.Fatalf("reason %q", r)
	}
}
