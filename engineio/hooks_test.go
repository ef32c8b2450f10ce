package engineio

import (
	"errors"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

func doReq(t testing.TB, method, url string, hdr map[string]string) (*http.Response, string) {
	t.Helper()
	h := http.Header{}
	for k, v := range hdr {
		h.Set(k, v)
	}
	return request(t, method, url, "", h)
}

func TestCORSPreflight(t *testing.T) {
	cases := []struct {
		name    string
		cors    CORS
		origin  string
		reqHdrs string
		want    map[string]string // "" = header must be absent
	}{
		{"wildcard", CORS{Origins: []string{"*"}}, "https://a.example", "content-type", map[string]string{
			"Access-Control-Allow-Origin":  "*",
			"Access-Control-Allow-Methods": "GET,HEAD,PUT,PATCH,POST,DELETE",
			"Access-Control-Allow-Headers": "content-type",
			"Vary":                         "Access-Control-Request-Headers",
		}},
		{"listed with credentials", CORS{Origins: []string{"https://a.example"}, Credentials: true, MaxAge: 600},
			"https://a.example", "", map[string]string{
				"Access-Control-Allow-Origin":      "https://a.example",
				"Access-Control-Allow-Credentials": "true",
				"Access-Control-Max-Age":           "600",
				"Access-Control-Allow-Headers":     "",
			}},
		{"pattern", CORS{OriginPatterns: []*regexp.Regexp{regexp.MustCompile(`^https://[a-z]+\.example$`)}, Methods: []string{"GET", "POST"}},
			"https://b.example", "", map[string]string{
				"Access-Control-Allow-Origin":  "https://b.example",
				"Access-Control-Allow-Methods": "GET,POST",
			}},
		{"refused origin", CORS{Origins: []string{"https://a.example"}}, "https://evil.example", "", map[string]string{
			"Access-Control-Allow-Origin": "",
		}},
		{"func", CORS{OriginFunc: func(o string) bool { return o == "https://f.example" }, AllowedHeaders: []string{"x-a", "x-b"}},
			"https://f.example", "x-c", map[string]string{
				"Access-Control-Allow-Origin":  "https://f.example",
				"Access-Control-Allow-Headers": "x-a,x-b",
			}},
	}
	for _, c := range cases {
		cfg := suiteConfig()
		cors := c.cors
		cfg.CORS = &cors
		_, base := startEcho(t, cfg)
		hdr := map[string]string{"Origin": c.origin, "Access-Control-Request-Method": "POST"}
		if c.reqHdrs != "" {
			hdr["Access-Control-Request-Headers"] = c.reqHdrs
		}
		resp, body := doReq(t, "OPTIONS", base+eioPath+"?EIO=4&transport=polling", hdr)
		if resp.StatusCode != 204 || body != "" {
			t.Fatalf("%s: %d %q", c.name, resp.StatusCode, body)
		}
		for k, v := range c.want {
			if got := resp.Header.Get(k); got != v {
				t.Errorf("%s: %s = %q, want %q", c.name, k, got, v)
			}
		}
	}
}

// CORS headers ride every polling response: handshake, GET, POST and errors.
func TestCORSOnPollingResponses(t *testing.T) {
	cfg := suiteConfig()
	cfg.PingInterval = 5 * time.Second
	cfg.CORS = &CORS{Origins: []string{"https://a.example"}, Credentials: true, ExposedHeaders: []string{"X-Id"}}
	_, base := startEcho(t, cfg)
	origin := map[string]string{"Origin": "https://a.example"}
	check := func(what string, resp *http.Response) {
		t.Helper()
		if resp.Header.Get("Access-Control-Allow-Origin") != "https://a.example" ||
			resp.Header.Get("Access-Control-Allow-Credentials") != "true" ||
			resp.Header.Get("Access-Control-Expose-Headers") != "X-Id" ||
			resp.Header.Get("Vary") != "Origin" {
			t.Errorf("%s: CORS headers missing: %v", what, resp.Header)
		}
	}
	resp, body := doReq(t, "GET", base+eioPath+"?EIO=4&transport=polling", origin)
	check("handshake", resp)
	sid := body[9:29]
	url := base + eioPath + "?EIO=4&transport=polling&sid=" + sid
	req, _ := http.NewRequest("POST", url, strings.NewReader("4hi"))
	req.Header.Set("Origin", "https://a.example")
	presp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.ReadAll(presp.Body)
	presp.Body.Close()
	check("POST", presp)
	resp, body = doReq(t, "GET", url, origin)
	check("GET", resp)
	if body != "4hi" {
		t.Fatalf("GET %q", body)
	}
	resp, _ = doReq(t, "GET", base+eioPath+"?EIO=4&transport=polling&sid=nope", origin)
	check("error", resp)
	resp, _ = doReq(t, "GET", base+eioPath+"?EIO=4&transport=polling", map[string]string{"Origin": "https://evil.example"})
	if resp.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Error("refused origin got Access-Control-Allow-Origin")
	}
}

// Intercept's answers (the Socket.IO client bundle) carry the CORS headers
// as polling responses do, for allowed origins only; the handler's own
// headers and body pass unchanged, and HEAD gets no body.
func TestCORSOnInterceptedResponses(t *testing.T) {
	cfg := suiteConfig()
	cfg.CORS = &CORS{Origins: []string{"https://a.example"}, Credentials: true}
	cfg.Intercept = func(r *Request) (int, http.Header, []byte, bool) {
		if !strings.HasSuffix(r.URL(), "/bundle.js") {
			return 0, nil, nil, false
		}
		return 200, http.Header{"Content-Type": {"application/javascript"}}, []byte("js"), true
	}
	_, base := startEcho(t, cfg)
	for _, method := range []string{"GET", "HEAD"} {
		resp, body := doReq(t, method, base+eioPath+"bundle.js", map[string]string{"Origin": "https://a.example"})
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/javascript" ||
			resp.Header.Get("Access-Control-Allow-Origin") != "https://a.example" ||
			resp.Header.Get("Access-Control-Allow-Credentials") != "true" || resp.Header.Get("Vary") != "Origin" {
			t.Errorf("%s: %d %v", method, resp.StatusCode, resp.Header)
		}
		if want := map[string]string{"GET": "js", "HEAD": ""}[method]; body != want {
			t.Errorf("%s: body %q, want %q", method, body, want)
		}
	}
	resp, _ := doReq(t, "GET", base+eioPath+"bundle.js", map[string]string{"Origin": "https://evil.example"})
	if resp.StatusCode != 200 || resp.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("refused origin: %d %v", resp.StatusCode, resp.Header)
	}
}

// connErrLog collects connection_error reports.
type connErrLog struct {
	mu   sync.Mutex
	errs []*ConnError
}

func (l *connErrLog) add(e *ConnError) { l.mu.Lock(); l.errs = append(l.errs, e); l.mu.Unlock() }

func (l *connErrLog) last(t testing.TB) *ConnError {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.errs) == 0 {
		t.Fatal("no connection error reported")
	}
	e := l.errs[len(l.errs)-1]
	l.errs = nil
	return e
}

func TestAllowRequest(t *testing.T) {
	cfg := suiteConfig()
	cfg.AllowRequest = func(r *Request) error {
		switch r.Query().Get("token") {
		case "ok":
			return nil
		case "silent":
			return errors.New("")
		}
		return errors.New("bad token")
	}
	var errs connErrLog
	srv, base := startServer(t, cfg, func(s *Server) { s.OnConnectionError(errs.add) })
	code, body, h := httpDo(t, "GET", base+eioPath+"?EIO=4&transport=polling&token=no", "")
	if code != 403 || body != `{"code":4,"message":"bad token"}` || h.Get("Content-Type") != "application/json" {
		t.Fatalf("refused: %d %q %q", code, body, h.Get("Content-Type"))
	}
	e := errs.last(t)
	if e.Code != CodeForbidden || e.Message != "bad token" || e.Context["message"] != "bad token" || e.Req == nil || e.Req.Query().Get("token") != "no" {
		t.Fatalf("report %+v", e)
	}
	code, body, _ = httpDo(t, "GET", base+eioPath+"?EIO=4&transport=polling&token=silent", "")
	if code != 403 || body != `{"code":4,"message":"Forbidden"}` {
		t.Fatalf("refused without text: %d %q", code, body)
	}
	errs.last(t)
	code, body, _ = httpDo(t, "GET", base+eioPath+"?EIO=4&transport=polling&token=ok", "")
	if code != 200 {
		t.Fatalf("allowed: %d", code)
	}
	// Only handshakes are checked.
	if code, _, _ := httpDo(t, "POST", base+eioPath+"?EIO=4&transport=polling&sid="+body[9:29], "4x"); code != 200 {
		t.Fatalf("POST without token: %d", code)
	}
	// A refused WebSocket handshake gets a raw 400 and the socket closes.
	_, resp := dialUpgrade(t, base, eioPath+"?EIO=4&transport=websocket&token=no", "", nil)
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 400 || string(b) != "bad token" || resp.Header.Get("Content-Type") != "text/html" {
		t.Fatalf("ws refused: %d %q", resp.StatusCode, b)
	}
	errs.last(t)
	if n := srv.ClientsCount(); n != 1 {
		t.Fatalf("clients %d", n)
	}
}

func TestCookie(t *testing.T) {
	httpOnly := false
	cases := []struct {
		cookie *Cookie
		want   string // with SID for the id
	}{
		{&Cookie{}, "io=SID; Path=/; HttpOnly; SameSite=Lax"},
		{&Cookie{Name: "srv", Path: "/app", HTTPOnly: &httpOnly, SameSite: "Strict", Secure: true, MaxAge: time.Hour},
			"srv=SID; Path=/app; Max-Age=3600; Secure; SameSite=Strict"},
	}
	for _, c := range cases {
		cfg := suiteConfig()
		cfg.Cookie = c.cookie
		_, base := startEcho(t, cfg)
		code, body, h := httpDo(t, "GET", base+eioPath+"?EIO=4&transport=polling", "")
		if code != 200 {
			t.Fatal(code)
		}
		if got, want := h.Get("Set-Cookie"), strings.Replace(c.want, "SID", body[9:29], 1); got != want {
			t.Errorf("Set-Cookie %q, want %q", got, want)
		}
		// Only the polling handshake sets it.
		url := base + eioPath + "?EIO=4&transport=polling&sid=" + body[9:29]
		if _, _, h := httpDo(t, "POST", url, "4x"); h.Get("Set-Cookie") != "" {
			t.Error("cookie on a later response")
		}
		_, resp := dialUpgrade(t, base, eioPath+"?"+wsQuery, "", nil)
		if resp.StatusCode != 101 || resp.Header.Get("Set-Cookie") != "" {
			t.Errorf("ws handshake: %d cookie %q", resp.StatusCode, resp.Header.Get("Set-Cookie"))
		}
	}
}

func TestHeaderHooks(t *testing.T) {
	cfg := suiteConfig()
	cfg.PingInterval = 5 * time.Second
	cfg.InitialHeaders = func(r *Request, h http.Header) { h.Set("X-Initial", "i-"+r.Query().Get("transport")) }
	cfg.Headers = func(r *Request, h http.Header) { h.Set("X-Every", r.Method()) }
	_, base := startEcho(t, cfg)
	code, body, h := httpDo(t, "GET", base+eioPath+"?EIO=4&transport=polling", "")
	if code != 200 || h.Get("X-Initial") != "i-polling" || h.Get("X-Every") != "GET" {
		t.Fatalf("polling handshake: %d %v", code, h)
	}
	sid := body[9:29]
	url := base + eioPath + "?EIO=4&transport=polling&sid=" + sid
	_, _, h = httpDo(t, "POST", url, "4x")
	if h.Get("X-Initial") != "" || h.Get("X-Every") != "POST" {
		t.Fatalf("POST headers %v", h)
	}
	_, _, h = httpDo(t, "GET", url, "")
	if h.Get("X-Initial") != "" || h.Get("X-Every") != "GET" {
		t.Fatalf("GET headers %v", h)
	}
	_, resp := dialUpgrade(t, base, eioPath+"?"+wsQuery, "", nil)
	if resp.StatusCode != 101 || resp.Header.Get("X-Initial") != "i-websocket" || resp.Header.Get("X-Every") != "GET" {
		t.Fatalf("ws handshake 101: %v", resp.Header)
	}
	_, resp = dialUpgrade(t, base, eioPath+"?EIO=4&transport=websocket&sid="+sid, "", nil)
	if resp.StatusCode != 101 || resp.Header.Get("X-Initial") != "" || resp.Header.Get("X-Every") != "GET" {
		t.Fatalf("upgrade 101: %v", resp.Header)
	}
}

func TestGenerateID(t *testing.T) {
	cfg := suiteConfig()
	n := 0
	var mu sync.Mutex
	cfg.GenerateID = func(r *Request) (string, error) {
		if r.Query().Get("fail") != "" {
			return "", errors.New("no id")
		}
		if r.Query().Get("dup") != "" {
			return "same-id", nil
		}
		mu.Lock()
		defer mu.Unlock()
		n++
		return "custom-" + strings.Repeat("x", n), nil
	}
	var errs connErrLog
	_, base := startServer(t, cfg, func(s *Server) { s.OnConnectionError(errs.add) })
	_, body, _ := httpDo(t, "GET", base+eioPath+"?EIO=4&transport=polling", "")
	if !strings.HasPrefix(body, `0{"sid":"custom-x",`) {
		t.Fatalf("handshake %q", body)
	}
	_, open := dialWSOpen(t, base, wsQuery)
	if !strings.HasPrefix(open, `0{"sid":"custom-xx",`) {
		t.Fatalf("ws handshake %q", open)
	}
	code, body, _ := httpDo(t, "GET", base+eioPath+"?EIO=4&transport=polling&fail=1", "")
	if code != 400 || body != `{"code":3,"message":"Bad request"}` {
		t.Fatalf("failing generator: %d %q", code, body)
	}
	if e := errs.last(t); e.Code != CodeBadRequest || e.Context["name"] != "ID_GENERATION_ERROR" {
		t.Fatalf("report %+v", e)
	}
	if code, _, _ := httpDo(t, "GET", base+eioPath+"?EIO=4&transport=polling&dup=1", ""); code != 200 {
		t.Fatalf("first dup %d", code)
	}
	if code, _, _ := httpDo(t, "GET", base+eioPath+"?EIO=4&transport=polling&dup=1", ""); code != 400 {
		t.Fatalf("duplicate id accepted: %d", code)
	}
	if e := errs.last(t); e.Context["name"] != "ID_GENERATION_ERROR" {
		t.Fatalf("report %+v", e)
	}
}

// Every refusal is reported with Node's code, message and context.
func TestConnectionErrorReports(t *testing.T) {
	var errs connErrLog
	_, base := startServer(t, suiteConfig(), func(s *Server) { s.OnConnectionError(errs.add) })
	sid := handshakePolling(t, base, eioPath)
	cases := []struct {
		method, query string
		code          int
		ctxKey, ctx   string
	}{
		{"GET", "?EIO=4&transport=abc", CodeUnknownTransport, "transport", "abc"},
		{"GET", "?EIO=4&transport=polling&sid=nope", CodeUnknownSID, "sid", "nope"},
		{"POST", "?EIO=4&transport=polling", CodeBadHandshakeMethod, "method", "POST"},
		{"GET", "?EIO=4&transport=websocket", CodeBadRequest, "name", "TRANSPORT_HANDSHAKE_ERROR"},
		{"GET", "?EIO=4&transport=websocket&sid=" + sid, CodeBadRequest, "name", "TRANSPORT_MISMATCH"},
		{"GET", "?EIO=9&transport=polling", CodeUnsupportedVersion, "protocol", "9"},
	}
	for _, c := range cases {
		code, _, _ := httpDo(t, c.method, base+eioPath+c.query, "")
		if code != 400 {
			t.Errorf("%s %s: %d", c.method, c.query, code)
		}
		e := errs.last(t)
		if e.Code != c.code || e.Message != codeMessages[c.code] || e.Context[c.ctxKey] != c.ctx || e.Req == nil || e.Req.Method() != c.method {
			t.Errorf("%s %s: report %+v", c.method, c.query, e)
		}
	}
}

func TestFallback(t *testing.T) {
	cfg := suiteConfig()
	cfg.Fallback = func(r *Request) (int, http.Header, []byte) {
		return 200, http.Header{"Content-Type": {"text/plain"}}, []byte("fallback " + r.Path())
	}
	_, base := startEcho(t, cfg)
	if code, body, _ := httpDo(t, "GET", base+"/other", ""); code != 200 || body != "fallback /other" {
		t.Fatalf("fallback: %d %q", code, body)
	}
	_, plain := startEcho(t, suiteConfig())
	if code, _, _ := httpDo(t, "GET", plain+"/other", ""); code != 404 {
		t.Fatalf("no fallback: %d", code)
	}
	// The path is a prefix with a trailing slash: /engine.io?... is not served.
	if code, _, _ := httpDo(t, "GET", plain+"/engine.io?EIO=4&transport=polling", ""); code != 404 {
		t.Fatalf("path without slash: %d", code)
	}
}
