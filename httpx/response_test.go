package httpx

import (
	"bufio"
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestAppendStatusLine(t *testing.T) {
	cases := []struct {
		code int
		want string
	}{
		{200, "HTTP/1.1 200 OK\r\n"},
		{101, "HTTP/1.1 101 Switching Protocols\r\n"},
		{431, "HTTP/1.1 431 Request Header Fields Too Large\r\n"},
		{299, "HTTP/1.1 299 \r\n"},
		{1000, "HTTP/1.1 1000 \r\n"},
	}
	for _, c := range cases {
		if got := string(AppendStatusLine(nil, c.code)); got != c.want {
			t.Errorf("%d: %q", c.code, got)
		}
	}
	for code := 100; code < 600; code++ {
		// 413 and 414 use the RFC 9110 names; net/http keeps the RFC 7231 ones.
		if s := StatusText(code); s != "" && code != 413 && code != 414 && s != http.StatusText(code) {
			t.Errorf("StatusText(%d) = %q, net/http %q", code, s, http.StatusText(code))
		}
	}
}

func TestAppendHeaderSanitizes(t *testing.T) {
	got := string(AppendHeader(nil, "X-A", "v\r\nSet-Cookie: evil"))
	if got != "X-A: v  Set-Cookie: evil\r\n" {
		t.Fatalf("%q", got)
	}
	got = string(AppendHeaderBytes(nil, []byte("K\n"), []byte("v")))
	if got != "K : v\r\n" {
		t.Fatalf("%q", got)
	}
}

func TestAppendResponse(t *testing.T) {
	cases := []struct {
		name string
		out  []byte
		want string
	}{
		{"keepalive", AppendResponse(nil, 200, "text/plain; charset=UTF-8", []byte("ok"), true),
			"HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Length: 2\r\n\r\nok"},
		{"close no type", AppendResponse(nil, 204, "", nil, false),
			"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"},
		{"error 426", AppendErrorResponse(nil, ErrUpgradeWSVersion, false),
			"HTTP/1.1 426 Upgrade Required\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 33\r\n" +
				"Connection: close\r\nSec-WebSocket-Version: 13\r\n\r\nunsupported Sec-WebSocket-Version"},
		{"open head", AppendEndHeaders(AppendHeader(AppendResponseHead(nil, 200, "", 0, true), "Set-Cookie", "io=1")),
			"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nSet-Cookie: io=1\r\n\r\n"},
	}
	for _, c := range cases {
		if string(c.out) != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.name, c.out, c.want)
		}
		// net/http must read it back with the same body.
		resp, err := http.ReadResponse(bufio.NewReader(strings.NewReader(c.want)), nil)
		if err != nil {
			t.Errorf("%s: net/http: %v", c.name, err)
			continue
		}
		b, _ := io.ReadAll(resp.Body)
		if !strings.HasSuffix(c.want, "\r\n\r\n"+string(b)) {
			t.Errorf("%s: body %q", c.name, b)
		}
	}
}

func TestAppendErrorResponseAll(t *testing.T) {
	for _, e := range []*Error{ErrBadRequest, ErrHeaderTooLarge, ErrTooManyHeaders, ErrBodyTooLarge,
		ErrRequestTimeout, ErrVersion, ErrNotImplemented, ErrUpgradeMethod} {
		out := AppendErrorResponse(nil, e, false)
		resp, err := http.ReadResponse(bufio.NewReader(strings.NewReader(string(out))), nil)
		if err != nil || resp.StatusCode != e.Status {
			t.Fatalf("%v: %v %v", e, err, resp)
		}
		b, _ := io.ReadAll(resp.Body)
		if string(b) != e.Message || !resp.Close {
			t.Fatalf("%v: body %q close %v", e, b, resp.Close)
		}
	}
}
