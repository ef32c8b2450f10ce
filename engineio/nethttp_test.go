package engineio

import (
	"bufio"
	"context"
	"crypto/tls"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sio-fast/sio-fast/internal/testca"
	"github.com/sio-fast/sio-fast/loop"
)

// startMounted serves an echo engine through net/http at its Path, as
// startServer does on the reactor.
func startMounted(t testing.TB, cfg Config, setup func(*Server), wrap func(http.Handler) http.Handler) (*Server, string) {
	t.Helper()
	srv := newEcho(cfg, setup)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv.SetReactorOptions(loop.WithNumLoops(2), loop.WithLogger(quiet), loop.WithTickInterval(10*time.Millisecond))
	mux := http.NewServeMux()
	var h http.Handler = srv
	if wrap != nil {
		h = wrap(srv)
	}
	mux.Handle(srv.Config().Path, h)
	mux.HandleFunc("/api/ping", func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "pong") })
	hs := httptest.NewServer(mux)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		hs.Close()
	})
	return srv, hs.URL
}

var sidPattern = regexp.MustCompile(`[A-Za-z0-9_-]{20}`)

// answer is what a test compares between the reactor and net/http: the
// status, the body with session ids masked, and the headers the engine
// owns.
func answer(t testing.TB, method, url, body string, hdr http.Header) string {
	t.Helper()
	resp, b := request(t, method, url, body, hdr)
	// The status code, not its text: net/http says "Request Entity Too
	// Large" for 413 where the engine says "Content Too Large" (RFC 9110).
	out := strconv.Itoa(resp.StatusCode) + "\n" + sidPattern.ReplaceAllString(b, "SID")
	// Content-Length of a 204 is left out: net/http drops it (RFC 9110
	// forbids it there).
	for _, k := range []string{"Content-Type", "Content-Length", "Content-Encoding", "Access-Control-Allow-Origin",
		"Access-Control-Allow-Credentials", "Access-Control-Allow-Methods", "Access-Control-Allow-Headers", "Set-Cookie", "X-Hook"} {
		if v := resp.Header.Values(k); len(v) > 0 && (k != "Content-Length" || resp.StatusCode != 204) {
			out += "\n" + k + ": " + sidPattern.ReplaceAllString(strings.Join(v, ", "), "SID")
		}
	}
	return out
}

// TestHTTPMountAnswersAsReactor sends the same requests to an engine on the
// reactor and to one mounted on net/http: every answer must be the same,
// errors, CORS, cookie, hooks and compression included.
func TestHTTPMountAnswersAsReactor(t *testing.T) {
	cfg := Config{
		MaxHTTPBufferSize:        1000,
		HTTPCompressionThreshold: 10,
		CORS:                     &CORS{Origins: []string{"https://app.example"}, Credentials: true},
		Cookie:                   &Cookie{},
		Headers:                  func(_ *Request, h http.Header) { h.Set("X-Hook", "yes") },
	}
	_, reactor := startServer(t, cfg, nil)
	_, mounted := startMounted(t, cfg, nil, nil)
	origin := http.Header{"Origin": {"https://app.example"}}
	gzip := http.Header{"Accept-Encoding": {"gzip"}}
	type step struct {
		method, query, body string
		hdr                 http.Header
	}
	steps := []step{
		{"GET", "?EIO=4&transport=polling", "", origin},
		{"GET", "?EIO=4&transport=bogus", "", nil},
		{"GET", "?EIO=5&transport=polling", "", nil},
		{"GET", "?EIO=4&transport=polling&sid=nosuchsessionxxxxxxx", "", nil},
		{"OPTIONS", "?EIO=4&transport=polling", "", http.Header{"Origin": {"https://app.example"}, "Access-Control-Request-Headers": {"x-a"}}},
		{"PUT", "?EIO=4&transport=polling", "", nil},
		{"GET", "?EIO=4&transport=websocket", "", nil},
	}
	for _, s := range steps {
		a := answer(t, s.method, reactor+eioPath+s.query, s.body, s.hdr)
		b := answer(t, s.method, mounted+eioPath+s.query, s.body, s.hdr)
		if a != b {
			t.Errorf("%s %s:\nreactor:  %q\nnet/http: %q", s.method, s.query, a, b)
		}
	}
	// A session's requests: POST, the GET with the echo (compressed), an
	// oversized POST.
	for _, base := range []string{reactor, mounted} {
		sid := handshakePolling(t, base, eioPath)
		url := base + eioPath + "?EIO=4&transport=polling&sid=" + sid
		got := answer(t, "POST", url, "4"+strings.Repeat("hi", 20), origin)
		got += "\n" + answer(t, "GET", url, "", gzip)
		got += "\n" + answer(t, "POST", url, strings.Repeat("x", 2000), nil)
		if base == reactor {
			steps[0].body = got // keep for comparison
		} else if got != steps[0].body {
			t.Errorf("session requests:\nreactor:  %q\nnet/http: %q", steps[0].body, got)
		}
	}
}

// TestHTTPMountUpgradeFlow opens a session by polling through net/http,
// parks a GET, and upgrades it to a WebSocket taken over from net/http,
// with the probe pipelined behind the upgrade request (bytes net/http's
// reader already holds at the takeover). The WebSocket then lives on the
// engine's reactor.
func TestHTTPMountUpgradeFlow(t *testing.T) {
	cfg := suiteConfig()
	cfg.PingInterval = 5 * time.Second
	got := make(chan *Socket, 1)
	srv, base := startMounted(t, cfg, func(srv *Server) {
		srv.OnConnection(func(s *Socket) { echo(s); got <- s })
	}, nil)
	sid := handshakePolling(t, base, eioPath)
	sock := <-got
	url := base + eioPath + "?EIO=4&transport=polling&sid=" + sid
	pending := make(chan string, 1)
	go func() { _, body, _ := httpDo(t, "GET", url, ""); pending <- body }()
	time.Sleep(50 * time.Millisecond)
	if code, body, _ := httpDo(t, "GET", base+"/api/ping", ""); code != 200 || body != "pong" {
		t.Fatalf("REST route beside a parked GET: %d %q", code, body)
	}

	w := dialWSPipelined(t, base, eioPath+"?EIO=4&transport=websocket&sid="+sid, "2probe")
	if got := w.readText(t); got != "3probe" {
		t.Fatalf("probe answer %q", got)
	}
	if body := <-pending; body != "6" {
		t.Fatalf("pending GET got %q, want noop", body)
	}
	w.sendText(t, "5")
	w.sendText(t, "4hello")
	if got := w.readText(t); got != "4hello" {
		t.Fatalf("echo over ws %q", got)
	}
	if sock.Transport() != transportWebSocket {
		t.Fatalf("transport %q", sock.Transport())
	}
	// The polling pipes close once answered: the WebSocket stays.
	waitFor(t, func() bool { return srv.Reactor().NumConns() == 1 })
	big := strings.Repeat("z", 200<<10)
	w.sendText(t, "4"+big)
	if got := w.readText(t); got != "4"+big {
		t.Fatalf("large echo: %d bytes", len(got))
	}
}

// TestHTTPMountBadUpgrade: a malformed upgrade is answered by the reactor
// after the takeover with the same error as on the reactor.
func TestHTTPMountBadUpgrade(t *testing.T) {
	_, reactor := startEcho(t, Config{})
	_, mounted := startMounted(t, Config{}, nil, nil)
	for _, extra := range []string{"", "Sec-WebSocket-Version: 8\r\n"} {
		var statuses []int
		for _, base := range []string{reactor, mounted} {
			// dialUpgrade sends version 13; a second version field makes it invalid.
			_, resp := dialUpgrade(t, base, eioPath+"?EIO=4&transport=websocket&sid=nosuchsessionxxxxxxx", extra, nil)
			statuses = append(statuses, resp.StatusCode)
		}
		if statuses[0] != statuses[1] || statuses[0] == 101 {
			t.Errorf("extra %q: reactor %d, net/http %d", extra, statuses[0], statuses[1])
		}
	}
}

// noHijack is a middleware whose ResponseWriter hides http.Hijacker, as
// naive logging middleware does.
type noHijack struct{ http.ResponseWriter }

// TestHTTPMountMiddleware: a middleware that hides http.Hijacker makes the
// upgrade fail with a 500 that says why, while polling keeps working; one
// that wraps properly (Unwrap) changes nothing.
func TestHTTPMountMiddleware(t *testing.T) {
	hiding := func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(noHijack{w}, r) })
	}
	_, base := startMounted(t, Config{}, nil, hiding)
	sid := handshakePolling(t, base, eioPath)
	_, resp := dialUpgrade(t, base, eioPath+"?EIO=4&transport=websocket&sid="+sid, "", nil)
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 500 || !strings.Contains(string(body), "http.Hijacker") {
		t.Fatalf("upgrade behind a hiding middleware: %d %q", resp.StatusCode, body)
	}
	url := base + eioPath + "?EIO=4&transport=polling&sid=" + sid
	if code, body, _ := httpDo(t, "POST", url, "4still"); code != 200 || body != "ok" {
		t.Fatalf("POST: %d %q", code, body)
	}
	if code, body, _ := httpDo(t, "GET", url, ""); code != 200 || body != "4still" {
		t.Fatalf("GET: %d %q", code, body)
	}

	unwrapping := func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(&unwrapper{w}, r) })
	}
	_, base = startMounted(t, Config{}, nil, unwrapping)
	w := dialWS(t, base, "EIO=4&transport=websocket")
	if open := w.readText(t); !strings.HasPrefix(open, `0{"sid"`) {
		t.Fatalf("open packet %q", open)
	}
}

type unwrapper struct{ http.ResponseWriter }

func (u *unwrapper) Unwrap() http.ResponseWriter { return u.ResponseWriter }

// TestHTTPMountStripPrefix: a request whose path the engine cannot match
// (http.StripPrefix in front) fails with a 404 that names the cause.
func TestHTTPMountStripPrefix(t *testing.T) {
	_, base := startMounted(t, Config{}, nil, func(h http.Handler) http.Handler {
		return http.StripPrefix("/engine.io", h)
	})
	code, body, _ := httpDo(t, "GET", base+eioPath+"?EIO=4&transport=polling", "")
	if code != 404 || !strings.Contains(body, "http.StripPrefix") {
		t.Fatalf("%d %q", code, body)
	}
}

// TestHTTPMountClientGoneWhileParked: a parked GET whose client goes away
// closes its pipe, as a closed socket would on the reactor.
func TestHTTPMountClientGoneWhileParked(t *testing.T) {
	log := newCloseLog()
	got := make(chan *Socket, 1)
	// A ping would answer the parked GET: none comes within the test.
	srv, base := startMounted(t, Config{PingInterval: 5 * time.Second}, func(srv *Server) {
		log.attach(srv)
		attached := srv.onConnection
		srv.OnConnection(func(s *Socket) { attached(s); got <- s })
	}, nil)
	sid := handshakePolling(t, base, eioPath)
	sock := <-got
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", base+eioPath+"?EIO=4&transport=polling&sid="+sid, nil)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if resp, err := client.Do(req); err == nil {
			resp.Body.Close()
		}
	}()
	waitFor(t, func() bool {
		parked := false
		onHome(sock, func() { parked = sock.poll != nil && sock.poll.get != nil })
		return parked
	})
	cancel()
	<-done
	// Node's engine.io, and the reactor, report the same.
	if r := log.next(t, 5*time.Second); r != ReasonTransportError+"|poll connection closed prematurely" {
		t.Fatalf("close reason %q", r)
	}
	waitFor(t, func() bool { return srv.Reactor().NumConns() == 0 })
}

// TestHTTPMountShutdown: Shutdown answers a parked GET with a close packet,
// closes upgraded WebSockets with a close frame, refuses new requests and
// returns.
func TestHTTPMountShutdown(t *testing.T) {
	got := make(chan *Socket, 1)
	srv, base := startMounted(t, Config{}, func(srv *Server) {
		srv.OnConnection(func(s *Socket) { echo(s); got <- s })
	}, nil)
	sid := handshakePolling(t, base, eioPath)
	sock := <-got
	pending := make(chan string, 1)
	go func() {
		_, body, _ := httpDo(t, "GET", base+eioPath+"?EIO=4&transport=polling&sid="+sid, "")
		pending <- body
	}()
	w, _ := dialWSOpen(t, base, "EIO=4&transport=websocket")
	closed := make(chan int, 1)
	go func() {
		code, _, _ := w.waitClose(5 * time.Second)
		w.nc.Close() // the client's answer to the close frame
		closed <- code
	}()
	<-got // the WebSocket's session
	waitFor(t, func() bool {
		parked := false
		onHome(sock, func() { parked = sock.poll != nil && sock.poll.get != nil })
		return parked
	})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	if body := <-pending; body != "1" {
		t.Fatalf("parked GET got %q, want the close packet", body)
	}
	if code := <-closed; code == 0 {
		t.Fatal("WebSocket ended without a close frame")
	}
	if code, _, _ := httpDo(t, "GET", base+eioPath+"?EIO=4&transport=polling", ""); code != 503 {
		t.Fatalf("after Shutdown: %d", code)
	}
}

// TestHTTPMountTLS: behind a net/http server with TLSConfig, polling works
// over https and the upgrade over wss keeps working after the takeover
// (the *tls.Conn is carried by the reactor's stream goroutines).
func TestHTTPMountTLS(t *testing.T) {
	ca := testca.New(t)
	srv := NewServer(Config{})
	srv.OnConnection(echo)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv.SetReactorOptions(loop.WithNumLoops(2), loop.WithLogger(quiet))
	hs := httptest.NewUnstartedServer(srv)
	hs.TLS = ca.ServerConfig()
	hs.StartTLS()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		hs.Close()
	})
	hc := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: ca.ClientConfig()}}
	resp, err := hc.Get(hs.URL + eioPath + "?EIO=4&transport=polling")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.HasPrefix(string(body), `0{"sid":"`) {
		t.Fatalf("https handshake: %q", body)
	}
	sid := string(body[9 : 9+20])
	nc, err := tls.Dial("tcp", strings.TrimPrefix(hs.URL, "https://"), ca.ClientConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	req := upgradeRequest("x", eioPath+"?EIO=4&transport=websocket&sid="+sid, "")
	if _, err := nc.Write([]byte(req)); err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(nc)
	_ = nc.SetReadDeadline(time.Now().Add(5 * time.Second))
	if resp, err := http.ReadResponse(r, nil); err != nil || resp.StatusCode != 101 {
		t.Fatalf("wss upgrade: %v %v", resp, err)
	}
	w := &wsClient{nc: nc, r: r}
	w.sendText(t, "2probe")
	if got := w.readText(t); got != "3probe" {
		t.Fatalf("probe answer %q", got)
	}
	w.sendText(t, "5")
	for i := range 100 {
		msg := "4m" + strconv.Itoa(i) + strings.Repeat(".", i*100)
		w.sendText(t, msg)
		if got := w.readText(t); got != msg {
			t.Fatalf("echo %d over wss: %d bytes", i, len(got))
		}
	}
	waitFor(t, func() bool { return srv.Reactor().NumConns() == 1 }) // the wss connection
}

// TestHTTPMountBehindAuth: an auth middleware in front answers refused
// requests itself, and the ones it lets through (polling and the WebSocket
// upgrade) are served as without it.
func TestHTTPMountBehindAuth(t *testing.T) {
	auth := func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("Authorization") != "Bearer ok" {
				http.Error(w, "unauthorized", http.StatusUnauthorized)
				return
			}
			h.ServeHTTP(w, r)
		})
	}
	_, base := startMounted(t, Config{}, nil, auth)
	if code, _, _ := httpDo(t, "GET", base+eioPath+"?EIO=4&transport=polling", ""); code != 401 {
		t.Fatalf("without credentials: %d", code)
	}
	req, _ := http.NewRequest("GET", base+eioPath+"?EIO=4&transport=polling", nil)
	req.Header.Set("Authorization", "Bearer ok")
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(string(body), `0{"sid":"`) {
		t.Fatalf("with credentials: %d %q", resp.StatusCode, body)
	}
	if _, resp := dialUpgrade(t, base, eioPath+"?EIO=4&transport=websocket", "", nil); resp.StatusCode != 401 {
		t.Fatalf("upgrade without credentials: %d", resp.StatusCode)
	}
	w, resp := dialUpgrade(t, base, eioPath+"?EIO=4&transport=websocket", "Authorization: Bearer ok\r\n", nil)
	if resp.StatusCode != 101 {
		t.Fatalf("upgrade with credentials: %d", resp.StatusCode)
	}
	if open := w.readText(t); !strings.HasPrefix(open, `0{"sid"`) {
		t.Fatalf("open packet %q", open)
	}
}
