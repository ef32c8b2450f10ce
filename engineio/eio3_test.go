package engineio

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gobwas/ws"
)

func eio3Config() Config {
	cfg := suiteConfig()
	cfg.AllowEIO3 = true
	return cfg
}

// handshakeV3 opens an EIO=3 polling session (extra is appended to the
// query) and returns its sid.
func handshakeV3(t testing.TB, base, extra string) string {
	t.Helper()
	code, body, _ := httpDo(t, "GET", base+eioPath+"?EIO=3&transport=polling"+extra, "")
	i := strings.IndexByte(body, ':')
	if code != 200 || i < 0 || !strings.HasPrefix(body[i+1:], `0{"sid":"`) {
		t.Fatalf("v3 handshake: %d %q", code, body)
	}
	return body[i+10 : i+10+20]
}

// protocol.md §6 (v3): the handshake is length-prefixed.
func TestV3Handshake(t *testing.T) {
	_, base := startEcho(t, eio3Config())
	code, body, h := httpDo(t, "GET", base+eioPath+"?EIO=3&transport=polling", "")
	if code != 200 {
		t.Fatalf("status %d", code)
	}
	i := strings.IndexByte(body, ':')
	pkt := `0{"sid":"` + body[i+10:i+30] + `","upgrades":["websocket"],"pingInterval":300,"pingTimeout":200,"maxPayload":1000000}`
	if want := strconv.Itoa(len(pkt)) + ":" + pkt; body != want {
		t.Fatalf("got  %q\nwant %q", body, want)
	}
	if ct := h.Get("Content-Type"); ct != "text/plain; charset=UTF-8" {
		t.Fatalf("content-type %q", ct)
	}
	// Without AllowEIO3 the version is refused.
	_, strict := startEcho(t, suiteConfig())
	code, body, _ = httpDo(t, "GET", strict+eioPath+"?EIO=3&transport=polling", "")
	if code != 400 || body != `{"code":5,"message":"Unsupported protocol version"}` {
		t.Fatalf("EIO=3 without AllowEIO3: %d %q", code, body)
	}
}

func TestV3PollingExchanges(t *testing.T) {
	_, base := startEcho(t, eio3Config())
	cases := []struct {
		name, query, post, ctype string
		want, wantType           string
	}{
		{"text", "", "6:4hello", "", "6:4hello", "text/plain; charset=UTF-8"},
		{"two", "", "6:4hello6:4world", "", "6:4hello6:4world", "text/plain; charset=UTF-8"},
		{"utf16 lengths", "", "2:4€3:4😀", "", "2:4€3:4😀", "text/plain; charset=UTF-8"},
		{"b64", "&b64=1", "6:4hello10:b4AQIDBA==", "", "6:4hello10:b4AQIDBA==", "text/plain; charset=UTF-8"},
		{"xhr2", "", "6:4hello10:b4AQIDBA==", "",
			"\x00\x06\xff4hello\x01\x05\xff\x04\x01\x02\x03\x04", "application/octet-stream"},
		{"xhr2 post", "", "\x00\x06\xff4hello\x01\x05\xff\x04\x01\x02\x03\x04", "application/octet-stream",
			"\x00\x06\xff4hello\x01\x05\xff\x04\x01\x02\x03\x04", "application/octet-stream"},
		{"ping", "", "1:2", "", "1:3", "text/plain; charset=UTF-8"},
	}
	for _, c := range cases {
		sid := handshakeV3(t, base, c.query)
		url := base + eioPath + "?EIO=3&transport=polling&sid=" + sid + c.query
		code, body := postTyped(t, url, c.post, c.ctype)
		if code != 200 || body != "ok" {
			t.Fatalf("%s: POST %d %q", c.name, code, body)
		}
		code, body, h := httpDo(t, "GET", url, "")
		if code != 200 || body != c.want || h.Get("Content-Type") != c.wantType {
			t.Fatalf("%s: GET %d %q (%s), want %q (%s)", c.name, code, body, h.Get("Content-Type"), c.want, c.wantType)
		}
	}
}

func postTyped(t testing.TB, url, body, ctype string) (int, string) {
	t.Helper()
	if ctype == "" {
		code, b, _ := httpDo(t, "POST", url, body)
		return code, b
	}
	resp, err := client.Post(url, ctype, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b := make([]byte, 16)
	n, _ := resp.Body.Read(b)
	return resp.StatusCode, string(b[:n])
}

// v3 heartbeat is client-driven: a session without pings is closed after
// pingInterval + pingTimeout; a v3 client must not send pongs.
func TestV3Heartbeat(t *testing.T) {
	log := newCloseLog()
	_, base := startServer(t, eio3Config(), log.attach)
	sid := handshakeV3(t, base, "")
	url := base + eioPath + "?EIO=3&transport=polling&sid=" + sid
	// Pings keep it alive past pingInterval + pingTimeout.
	for i := 0; i < 4; i++ {
		time.Sleep(200 * time.Millisecond)
		if code, _ := postTyped(t, url, "1:2", ""); code != 200 {
			t.Fatalf("ping POST %d", code)
		}
		if _, body, _ := httpDo(t, "GET", url, ""); body != "1:3" {
			t.Fatalf("pong %q", body)
		}
	}
	time.Sleep(600 * time.Millisecond)
	// Noops do not count as pings; allow the timer wheel some lag on a
	// loaded machine.
	waitFor(t, func() bool { code, _ := postTyped(t, url, "1:6", ""); return code == 400 })
	if r := log.next(t, time.Second); r != ReasonPingTimeout+"|" {
		t.Fatalf("reason %q", r)
	}
	sid = handshakeV3(t, base, "")
	postTyped(t, base+eioPath+"?EIO=3&transport=polling&sid="+sid, "1:3", "")
	if r := log.next(t, time.Second); r != ReasonTransportError+"|invalid heartbeat direction" {
		t.Fatalf("reason %q", r)
	}
}

func TestV3ClientClose(t *testing.T) {
	_, base := startEcho(t, eio3Config())
	sid := handshakeV3(t, base, "")
	url := base + eioPath + "?EIO=3&transport=polling&sid=" + sid
	pending := make(chan string, 1)
	go func() { _, body, _ := httpDo(t, "GET", url, ""); pending <- body }()
	time.Sleep(50 * time.Millisecond)
	if code, _ := postTyped(t, url, "1:1", ""); code != 200 {
		t.Fatalf("close POST %d", code)
	}
	if body := <-pending; body != "1:6" {
		t.Fatalf("pending GET %q", body)
	}
	if code, _, _ := httpDo(t, "GET", url, ""); code != 400 {
		t.Fatalf("GET after close %d", code)
	}
}

func TestV3WebSocket(t *testing.T) {
	cfg := eio3Config()
	cfg.PingInterval = 5 * time.Second
	_, base := startEcho(t, cfg)
	w, open := dialWSOpen(t, base, "EIO=3&transport=websocket")
	if !strings.HasPrefix(open, `0{"sid":"`) || !strings.Contains(open, `"upgrades":[]`) {
		t.Fatalf("open %q", open)
	}
	w.sendText(t, "2")
	if got := w.readText(t); got != "3" {
		t.Fatalf("pong %q", got)
	}
	w.sendText(t, "2probe") // Node answers a bare pong outside an upgrade
	if got := w.readText(t); got != "3" {
		t.Fatalf("pong to a ping with data: %q", got)
	}
	w.sendText(t, "4hello")
	if got := w.readText(t); got != "4hello" {
		t.Fatalf("echo %q", got)
	}
	w.sendBinary(t, []byte{4, 1, 2, 3, 4})
	op, p, ok := w.read(t, 5*time.Second)
	if !ok || op != ws.OpBinary || string(p) != "\x04\x01\x02\x03\x04" {
		t.Fatalf("binary echo op=%v %x", op, p)
	}
}

func TestV3Upgrade(t *testing.T) {
	cfg := eio3Config()
	cfg.PingInterval = 5 * time.Second
	_, base := startEcho(t, cfg)
	sid := handshakeV3(t, base, "")
	url := base + eioPath + "?EIO=3&transport=polling&sid=" + sid
	pending := make(chan string, 1)
	go func() { _, body, _ := httpDo(t, "GET", url, ""); pending <- body }()
	time.Sleep(50 * time.Millisecond)
	w := dialWS(t, base, "EIO=3&transport=websocket&sid="+sid)
	w.sendText(t, "2probe")
	if got := w.readText(t); got != "3probe" {
		t.Fatalf("probe %q", got)
	}
	if body := <-pending; body != "1:6" {
		t.Fatalf("pending GET %q", body)
	}
	w.sendText(t, "5")
	w.sendText(t, "4hello")
	if got := w.readText(t); got != "4hello" {
		t.Fatalf("echo %q", got)
	}
	if code, _, _ := httpDo(t, "GET", url, ""); code != 400 {
		t.Fatalf("GET after upgrade %d", code)
	}
}
