package engineio

import (
	"net/http"
	"net/netip"
	"reflect"
	"strings"
	"testing"
	"unsafe"

	"github.com/sio-fast/sio-fast/httpx"
)

func parseRequest(t *testing.T, raw string) *httpx.Request {
	t.Helper()
	var p httpx.Parser
	if n, err := p.Parse([]byte(raw)); err != nil || n != len(raw) {
		t.Fatalf("parse %q: n=%d err=%v", raw, n, err)
	}
	return p.Request()
}

func TestRequestCopiesCompactlyAndParsesOnDemand(t *testing.T) {
	raw := "GET /engine.io/?EIO=4&transport=polling&a=1&a=2&e=%C3%A9 HTTP/1.1\r\n" +
		"Host: x\r\nx-multi: one\r\nX-Multi: two\r\nCookie: \r\nX-Forwarded-Proto: HTTPS\r\n\r\n"
	remote := netip.MustParseAddrPort("10.0.0.1:5000")
	r := newRequest(parseRequest(t, raw), remote)
	if r.Method() != "GET" || r.URL() != "/engine.io/?EIO=4&transport=polling&a=1&a=2&e=%C3%A9" || r.Path() != "/engine.io/" {
		t.Fatalf("request line: %q %q %q", r.Method(), r.URL(), r.Path())
	}
	if !r.Secure() || r.RemoteAddr() != remote {
		t.Fatalf("secure=%v remote=%v", r.Secure(), r.RemoteAddr())
	}
	wantH := map[string][]string{"Host": {"x"}, "X-Multi": {"one", "two"}, "Cookie": {""}, "X-Forwarded-Proto": {"HTTPS"}}
	if h := r.Header(); !reflect.DeepEqual(map[string][]string(h), wantH) {
		t.Fatalf("header = %v, want %v", h, wantH)
	}
	q := r.Query()
	if !reflect.DeepEqual(q["a"], []string{"1", "2"}) || q.Get("e") != "é" || q.Get("EIO") != "4" {
		t.Fatalf("query = %v", q)
	}
	if r2 := r.Header(); reflect.ValueOf(r2).Pointer() != reflect.ValueOf(r.Header()).Pointer() {
		t.Fatal("Header built twice")
	}
}

func TestRequestWithoutQueryOrHeaders(t *testing.T) {
	r := newRequest(parseRequest(t, "GET / HTTP/1.0\r\n\r\n"), netip.AddrPort{})
	if r.Path() != "/" || r.URL() != "/" || r.Secure() {
		t.Fatalf("%+v", r)
	}
	if q := r.Query(); q == nil || len(q) != 0 {
		t.Fatalf("query = %#v, want empty non-nil", q)
	}
	if h := r.Header(); h == nil || len(h) != 0 {
		t.Fatalf("header = %#v, want empty non-nil", h)
	}
}

func TestRequestAbsoluteFormKeepsPath(t *testing.T) {
	r := newRequest(parseRequest(t, "GET http://h.example/engine.io/?EIO=4 HTTP/1.1\r\nHost: h.example\r\n\r\n"), netip.AddrPort{})
	if r.Path() != "/engine.io/" || r.URL() != "http://h.example/engine.io/?EIO=4" || r.Query().Get("EIO") != "4" {
		t.Fatalf("path %q url %q query %v", r.Path(), r.URL(), r.Query())
	}
}

// TestRequestConcurrentFirstUse: the maps are built once even when several
// goroutines ask first at the same time (run with -race).
func TestRequestConcurrentFirstUse(t *testing.T) {
	r := newRequest(parseRequest(t, "GET /?x=1 HTTP/1.1\r\nHost: a\r\n\r\n"), netip.AddrPort{})
	done := make(chan struct{})
	for range 4 {
		go func() {
			defer func() { done <- struct{}{} }()
			if r.Header().Get("Host") != "a" || r.Query().Get("x") != "1" {
				t.Error("wrong values")
			}
		}()
	}
	for range 4 {
		<-done
	}
}

// A zero Request (a hook's test double, say) has empty fields and maps,
// never a panic.
func TestZeroRequestIsEmpty(t *testing.T) {
	var r Request
	if r.Method() != "" || r.URL() != "" || r.Path() != "" || r.Secure() || r.RemoteAddr().IsValid() {
		t.Fatalf("%q %q %q %v %v", r.Method(), r.URL(), r.Path(), r.Secure(), r.RemoteAddr())
	}
	if h := r.Header(); h == nil || len(h) != 0 {
		t.Fatalf("header = %#v", h)
	}
	if q := r.Query(); q == nil || len(q) != 0 {
		t.Fatalf("query = %#v", q)
	}
}

func TestNewRequestBuildsWhatHooksSee(t *testing.T) {
	remote := netip.MustParseAddrPort("[2001:db8::1]:443")
	h := http.Header{"X-Forwarded-Proto": {"https"}, "Cookie": {"a=1", "b=2"}}
	r, err := NewRequest("POST", "/x/?a=1", h, remote)
	if err != nil {
		t.Fatal(err)
	}
	if r.Method() != "POST" || r.URL() != "/x/?a=1" || r.Path() != "/x/" || !r.Secure() || r.RemoteAddr() != remote {
		t.Fatalf("%q %q %q %v %v", r.Method(), r.URL(), r.Path(), r.Secure(), r.RemoteAddr())
	}
	if !reflect.DeepEqual(r.Header(), h) || r.Query().Get("a") != "1" {
		t.Fatalf("header %v query %v", r.Header(), r.Query())
	}
	abs, err := NewRequest("GET", "http://h.example/p?q", nil, netip.AddrPort{})
	if err != nil {
		t.Fatal(err)
	}
	if abs.Path() != "/p" || abs.URL() != "http://h.example/p?q" || len(abs.Header()) != 0 {
		t.Fatalf("absolute-form: path %q url %q header %v", abs.Path(), abs.URL(), abs.Header())
	}
}

// The path of an absolute-form target, and an empty path, are found without
// confusing the fields that follow.
func TestRequestPathOffsets(t *testing.T) {
	for _, c := range []struct{ raw, path, url, host string }{
		{"GET http://h/ HTTP/1.1\r\nHost: h\r\n\r\n", "/", "http://h/", "h"},
		{"GET http://h/a/b?c=/d HTTP/1.1\r\nHost: h\r\n\r\n", "/a/b", "http://h/a/b?c=/d", "h"},
		{"OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n", "*", "*", "h"},
		{"GET /p HTTP/1.0\r\n\r\n", "/p", "/p", ""},
		{"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: h\r\n\r\n", "/socket.io/", "/socket.io/?EIO=4&transport=websocket", "h"},
	} {
		r := newRequest(parseRequest(t, c.raw), netip.AddrPort{})
		if r.Path() != c.path || r.URL() != c.url || r.Header().Get("Host") != c.host {
			t.Errorf("%q: path %q url %q host %q", c.raw, r.Path(), r.URL(), r.Header().Get("Host"))
		}
		// The path is found in the target, not copied a second time.
		if m := r.meta(); m.pathOff >= m.targetEnd {
			t.Errorf("%q: path copied after the fields", c.raw)
		}
	}
}

func TestRequestRemoteAddrRoundTrips(t *testing.T) {
	for _, a := range []string{"10.0.0.1:5000", "[2001:db8::1]:80", "[::ffff:10.0.0.1]:1", "[fe80::1%eth0]:8", "0.0.0.0:0"} {
		ap := netip.MustParseAddrPort(a)
		if got := newRequest(parseRequest(t, "GET / HTTP/1.0\r\n\r\n"), ap).RemoteAddr(); got != ap {
			t.Errorf("%v -> %v", ap, got)
		}
	}
}

func TestNewRequestTooLarge(t *testing.T) {
	if _, err := NewRequest("GET", "/"+strings.Repeat("a", 1<<16), nil, netip.AddrPort{}); err != ErrRequestTooLarge {
		t.Fatalf("err = %v, want ErrRequestTooLarge", err)
	}
}

func TestRequestIsCompact(t *testing.T) {
	if n := unsafe.Sizeof(Request{}); n > 24 {
		t.Fatalf("Request is %d bytes, want at most 24 (one per idle session)", n)
	}
}

// A browser's WebSocket handshake (Chrome's fields) is kept in well under
// its length: the common fields are one byte each (fieldcodes.go), and the
// maps still give every field back as received.
func TestRequestCodesCommonFields(t *testing.T) {
	raw := "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n" +
		"Host: example.com\r\nConnection: Upgrade\r\nPragma: no-cache\r\nCache-Control: no-cache\r\n" +
		"User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36\r\n" +
		"Upgrade: websocket\r\nOrigin: https://example.com\r\nSec-WebSocket-Version: 13\r\n" +
		"Accept-Encoding: gzip, deflate, br, zstd\r\nAccept-Language: en-US,en;q=0.9\r\n" +
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" +
		"Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n" +
		"connection: upgrade\r\nX-Custom: Upgrade\r\n\r\n"
	hr := parseRequest(t, raw)
	r := newRequest(hr, netip.MustParseAddrPort("192.0.2.1:40000"))
	head := len(raw) - len(" HTTP/1.1\r\n") - len("\r\n")
	if len(r.all) > head*2/3 {
		t.Errorf("compact copy is %d bytes for a head of %d", len(r.all), head)
	}
	want := http.Header{}
	for _, f := range hr.Headers {
		k := http.CanonicalHeaderKey(string(f.Key))
		want[k] = append(want[k], string(f.Value))
	}
	if !reflect.DeepEqual(r.Header(), want) {
		t.Fatalf("header = %v\nwant %v", r.Header(), want)
	}
	if r.URL() != "/socket.io/?EIO=4&transport=websocket" || r.Path() != "/socket.io/" || r.Method() != "GET" {
		t.Fatalf("request line: %q %q %q", r.Method(), r.URL(), r.Path())
	}
}

// NewRequest takes any http.Header: a name that is not a token, even one
// starting with a byte that marks a code, comes back as given.
func TestNewRequestKeepsOddNames(t *testing.T) {
	h := http.Header{"\x80Odd": {"v"}, "\xffX": {"w"}, "\xc1": {"u"}, "Host": {"h"}}
	r, err := NewRequest("GET", "/", h, netip.AddrPort{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(r.Header(), h) {
		t.Fatalf("header = %q, want %q", r.Header(), h)
	}
}

// Goroutines asking for the maps at once all get the same ones.
func TestRequestMapsSharedAcrossGoroutines(t *testing.T) {
	r := newRequest(parseRequest(t, "GET /?a=1 HTTP/1.1\r\nHost: x\r\n\r\n"), netip.AddrPort{})
	got := make(chan uintptr, 8)
	for range 8 {
		go func() { got <- reflect.ValueOf(r.Header()).Pointer() }()
	}
	first := <-got
	for range 7 {
		if p := <-got; p != first {
			t.Fatal("goroutines got different header maps")
		}
	}
}

// FuzzRequestCopy: for any request the HTTP parser accepts, the compact copy
// gives back the parser's method, target, path and header fields.
func FuzzRequestCopy(f *testing.F) {
	for _, s := range []string{
		"GET /engine.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\nA: 1\r\na: 2\r\n\r\n",
		"GET http://h/a?b HTTP/1.1\r\nHost: h\r\n\r\n",
		"OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n",
		"GET / HTTP/1.0\r\n\r\n",
		"GET /?EIO=4&transport=websocket HTTP/1.1\r\nHost: h\r\nconnection: Upgrade\r\nUPGRADE: websocket\r\n" +
			"Sec-WebSocket-Key: k\r\nSec-WebSocket-Version: 13\r\nUpgrade: websocket2\r\nCookie: \r\n\r\n",
		"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: h\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" +
			"sec-websocket-key: dGhlIHNhbXBsZSBub25jZR==\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=\r\n\r\n",
		"GET /engine.io/?EIO=3&transport=websocket HTTP/1.1\r\n\r\n",
		"GET /socket.io/?EIO=4&transport=websocket& HTTP/1.1\r\n\r\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		var p httpx.Parser
		if n, err := p.Parse(raw); err != nil || n == 0 {
			return
		}
		hr := p.Request()
		r := newRequest(hr, netip.AddrPort{})
		if r.Method() != string(hr.Method) || r.URL() != string(hr.Target) || r.Path() != string(hr.Path) {
			t.Fatalf("method %q url %q path %q, parser %q %q %q", r.Method(), r.URL(), r.Path(), hr.Method, hr.Target, hr.Path)
		}
		want := http.Header{}
		for _, fl := range hr.Headers {
			k := http.CanonicalHeaderKey(string(fl.Key))
			want[k] = append(want[k], string(fl.Value))
		}
		if !reflect.DeepEqual(r.Header(), want) {
			t.Fatalf("header %v, want %v", r.Header(), want)
		}
	})
}

// siobench's and socket.io-client's WebSocket handshake: the target is one
// of commonTargets and the key canonical base64, so the copy is one byte
// for each and the whole string fits in the 80-byte size class (it took
// 112 before both codes).
func TestRequestCodesTargetAndKey(t *testing.T) {
	raw := "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1:42000\r\n" +
		"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: c2lvLWZhc3QtYmVuY2gtMQ==\r\n" +
		"Sec-WebSocket-Version: 13\r\n\r\n"
	hr := parseRequest(t, raw)
	r := newRequest(hr, netip.MustParseAddrPort("127.0.0.1:50000"))
	if len(r.all) > 80 {
		t.Errorf("compact copy is %d bytes, want at most 80 (a size class)", len(r.all))
	}
	if r.URL() != "/socket.io/?EIO=4&transport=websocket" || r.Path() != "/socket.io/" || r.Method() != "GET" {
		t.Fatalf("request line: %q %q %q", r.Method(), r.URL(), r.Path())
	}
	if got := r.Query().Get("transport"); got != "websocket" {
		t.Fatalf("query transport = %q", got)
	}
	if got := r.Header().Get("Sec-Websocket-Key"); got != "c2lvLWZhc3QtYmVuY2gtMQ==" {
		t.Fatalf("key = %q", got)
	}
	if got := r.Header().Get("Host"); got != "127.0.0.1:42000" {
		t.Fatalf("host = %q", got)
	}
	if r.RemoteAddr() != netip.MustParseAddrPort("127.0.0.1:50000") {
		t.Fatalf("remote = %v", r.RemoteAddr())
	}
}

// A key that is not the canonical base64 of 16 bytes (wrong length,
// nonzero padding bits) is kept as received.
func TestRequestKeepsOddKeys(t *testing.T) {
	for _, key := range []string{"k", "dGhlIHNhbXBsZSBub25jZR==", "dGhlIHNhbXBsZSBub25jZQ", "dGhlIHNhbXBsZSBub25jZQ=x"} {
		hr := parseRequest(t, "GET / HTTP/1.1\r\nHost: h\r\nSec-WebSocket-Key: "+key+"\r\n\r\n")
		r := newRequest(hr, netip.AddrPort{})
		if got := r.Header()["Sec-Websocket-Key"]; len(got) != 1 || got[0] != key {
			t.Errorf("key %q kept as %q", key, got)
		}
	}
}
