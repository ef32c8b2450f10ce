package engineio

import (
	"strings"
	"testing"
	"time"
)

const eioPath = "/engine.io/"

// protocol.md §6.1
func TestPollingHandshakeExact(t *testing.T) {
	_, base := startEcho(t, suiteConfig())
	code, body, h := httpDo(t, "GET", base+eioPath+"?EIO=4&transport=polling", "")
	if code != 200 {
		t.Fatalf("status %d", code)
	}
	want := `0{"sid":"` + body[9:29] + `","upgrades":["websocket"],"pingInterval":300,"pingTimeout":200,"maxPayload":1000000}`
	if body != want {
		t.Fatalf("got  %q\nwant %q", body, want)
	}
	if ct := h.Get("Content-Type"); ct != "text/plain; charset=UTF-8" {
		t.Fatalf("content-type %q", ct)
	}
}

// protocol.md §6.2
func TestBadHandshakes(t *testing.T) {
	_, base := startEcho(t, suiteConfig())
	cases := []struct{ method, query, body string }{
		{"GET", "?transport=polling", `{"code":5,"message":"Unsupported protocol version"}`},
		{"GET", "?EIO=abc&transport=polling", `{"code":5,"message":"Unsupported protocol version"}`},
		{"GET", "?EIO=4", `{"code":0,"message":"Transport unknown"}`},
		{"GET", "?EIO=4&transport=abc", `{"code":0,"message":"Transport unknown"}`},
		{"POST", "?EIO=4&transport=polling", `{"code":2,"message":"Bad handshake method"}`},
		{"PUT", "?EIO=4&transport=polling", `{"code":2,"message":"Bad handshake method"}`},
		{"GET", "?EIO=4&transport=polling&sid=nope", `{"code":1,"message":"Session ID unknown"}`},
		{"GET", "?EIO=4&transport=websocket", `{"code":3,"message":"Bad request"}`},
	}
	for _, c := range cases {
		code, body, _ := httpDo(t, c.method, base+eioPath+c.query, "")
		if code != 400 || body != c.body {
			t.Errorf("%s %s: %d %q, want 400 %q", c.method, c.query, code, body, c.body)
		}
	}
}

// protocol.md §6.3–6.5
func TestPollingEcho(t *testing.T) {
	_, base := startEcho(t, suiteConfig())
	for _, payload := range []string{"4hello", "4test1\x1e4test2\x1e4test3", "4hello\x1ebAQIDBA=="} {
		sid := handshakePolling(t, base, eioPath)
		url := base + eioPath + "?EIO=4&transport=polling&sid=" + sid
		if code, body, _ := httpDo(t, "POST", url, payload); code != 200 || body != "ok" {
			t.Fatalf("POST: %d %q", code, body)
		}
		if code, body, _ := httpDo(t, "GET", url, ""); code != 200 || body != payload {
			t.Fatalf("GET: %d %q, want %q", code, body, payload)
		}
	}
}

// protocol.md §6.6
func TestPollingBadPacketClosesSession(t *testing.T) {
	_, base := startEcho(t, suiteConfig())
	sid := handshakePolling(t, base, eioPath)
	url := base + eioPath + "?EIO=4&transport=polling&sid=" + sid
	if code, _, _ := httpDo(t, "POST", url, "abc"); code != 400 {
		t.Fatalf("POST abc: %d", code)
	}
	waitFor(t, func() bool { c, _, _ := httpDo(t, "GET", url, ""); return c == 400 })
}

// protocol.md §6.7. The first ping is due 5 s after the handshake: with
// suiteConfig's 300 ms a slow second GET let the ping answer the first.
func TestPollingOverlappingGets(t *testing.T) {
	cfg := suiteConfig()
	cfg.PingInterval = 5 * time.Second
	_, base := startEcho(t, cfg)
	sid := handshakePolling(t, base, eioPath)
	url := base + eioPath + "?EIO=4&transport=polling&sid=" + sid
	first := make(chan string, 1)
	go func() {
		_, body, _ := httpDo(t, "GET", url, "")
		first <- body
	}()
	time.Sleep(50 * time.Millisecond)
	if code, _, _ := httpDo(t, "GET", url, ""); code != 400 {
		t.Fatalf("second GET: %d", code)
	}
	if body := <-first; body != "1" {
		t.Fatalf("first GET got %q, want close packet", body)
	}
	if code, _, _ := httpDo(t, "GET", url, ""); code != 400 {
		t.Fatalf("GET after close: %d", code)
	}
}

// protocol.md §6.8
func TestPollingHeartbeat(t *testing.T) {
	_, base := startEcho(t, suiteConfig())
	sid := handshakePolling(t, base, eioPath)
	url := base + eioPath + "?EIO=4&transport=polling&sid=" + sid
	for i := 0; i < 3; i++ {
		if _, body, _ := httpDo(t, "GET", url, ""); body != "2" {
			t.Fatalf("round %d: GET %q, want ping", i, body)
		}
		if code, _, _ := httpDo(t, "POST", url, "3"); code != 200 {
			t.Fatalf("pong POST %d", code)
		}
	}
	idle := handshakePolling(t, base, eioPath)
	time.Sleep(600 * time.Millisecond)
	if code, _, _ := httpDo(t, "GET", base+eioPath+"?EIO=4&transport=polling&sid="+idle, ""); code != 400 {
		t.Fatalf("idle session still open: %d", code)
	}
}

// protocol.md §6.9
func TestPollingClientClose(t *testing.T) {
	_, base := startEcho(t, suiteConfig())
	sid := handshakePolling(t, base, eioPath)
	url := base + eioPath + "?EIO=4&transport=polling&sid=" + sid
	pending := make(chan string, 1)
	go func() {
		_, body, _ := httpDo(t, "GET", url, "")
		pending <- body
	}()
	time.Sleep(50 * time.Millisecond)
	if code, _, _ := httpDo(t, "POST", url, "1"); code != 200 {
		t.Fatalf("close POST %d", code)
	}
	if body := <-pending; body != "6" {
		t.Fatalf("pending GET got %q, want noop", body)
	}
	if code, _, _ := httpDo(t, "GET", url, ""); code != 400 {
		t.Fatalf("GET after close: %d", code)
	}
}

func TestPollingPostTooLarge(t *testing.T) {
	cfg := suiteConfig()
	cfg.MaxHTTPBufferSize = 100
	cfg.PingInterval = 5 * time.Second
	_, base := startEcho(t, cfg)
	sid := handshakePolling(t, base, eioPath)
	url := base + eioPath + "?EIO=4&transport=polling&sid=" + sid
	if code, _, _ := httpDo(t, "POST", url, "4"+strings.Repeat("x", 200)); code != 413 {
		t.Fatalf("oversize POST: %d", code)
	}
	// The session survives.
	if code, body, _ := httpDo(t, "POST", url, "4small"); code != 200 || body != "ok" {
		t.Fatalf("POST after 413: %d %q", code, body)
	}
	if _, body, _ := httpDo(t, "GET", url, ""); body != "4small" {
		t.Fatalf("GET %q", body)
	}
}

func waitFor(t testing.TB, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition never became true")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
