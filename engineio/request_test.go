package engineio

import (
	"net/netip"
	"reflect"
	"testing"

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
	if r.Method != "GET" || r.URL != "/engine.io/?EIO=4&transport=polling&a=1&a=2&e=%C3%A9" || r.Path != "/engine.io/" {
		t.Fatalf("request line: %q %q %q", r.Method, r.URL, r.Path)
	}
	if !r.Secure || r.RemoteAddr != remote {
		t.Fatalf("secure=%v remote=%v", r.Secure, r.RemoteAddr)
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
	if r.Path != "/" || r.URL != "/" || r.Secure {
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
	if r.Path != "/engine.io/" || r.URL != "http://h.example/engine.io/?EIO=4" || r.Query().Get("EIO") != "4" {
		t.Fatalf("path %q url %q query %v", r.Path, r.URL, r.Query())
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

// A Request made outside the package (a hook's test double, say) has no
// copied fields: its maps are empty, never a panic.
func TestRequestLiteralHasEmptyMaps(t *testing.T) {
	r := &Request{Method: "GET", URL: "/x?a=1", Path: "/x"}
	if h := r.Header(); h == nil || len(h) != 0 {
		t.Fatalf("header = %#v", h)
	}
	if r.Query().Get("a") != "1" {
		t.Fatalf("query = %v", r.Query())
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
