package httpx

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// snap is a comparable copy of a parsed request.
type snap struct {
	N                           int
	Method, Target, Path, Query string
	HasQuery                    bool
	Minor                       int
	Headers                     string
	Body                        string
	CL                          int64
	Chunked, KeepAlive, NilBody bool
}

func snapshot(r *Request, n int) snap {
	var h strings.Builder
	for _, f := range r.Headers {
		fmt.Fprintf(&h, "%s=%s|", f.Key, f.Value)
	}
	return snap{
		N: n, Method: string(r.Method), Target: string(r.Target), Path: string(r.Path),
		Query: string(r.RawQuery), HasQuery: r.RawQuery != nil, Minor: r.Minor,
		Headers: h.String(), Body: string(r.Body), CL: r.ContentLength,
		Chunked: r.Chunked, KeepAlive: r.KeepAlive, NilBody: r.Body == nil,
	}
}

// result is what parsing an input yields: a request, an error, or "incomplete".
type result struct {
	Snap       snap
	Err        error
	Incomplete bool
}

func parseWhole(p *Parser, in []byte) result {
	n, err := p.Parse(in)
	if err != nil {
		return result{Err: err}
	}
	if n == 0 {
		return result{Incomplete: true}
	}
	return result{Snap: snapshot(p.Request(), n)}
}

// parseChunks feeds in as a growing prefix split at the given cut points,
// copying each prefix into a fresh buffer so the parser cannot keep slices.
func parseChunks(p *Parser, in []byte, cuts []int) result {
	for _, c := range cuts {
		buf := append([]byte(nil), in[:c]...)
		n, err := p.Parse(buf)
		if err != nil {
			return result{Err: err}
		}
		if n > 0 {
			return result{Snap: snapshot(p.Request(), n)}
		}
	}
	return parseWhole(p, append([]byte(nil), in...))
}

const crlf = "\r\n"

func req(lines ...string) string { return strings.Join(lines, crlf) + crlf + crlf }

type parseCase struct {
	name   string
	in     string
	err    *Error // expected error; nil for success
	check  func(t *testing.T, r *Request)
	status int // checked when err is nil and status != 0
}

var parseCases = []parseCase{
	{name: "simple get", in: req("GET /socket.io/?EIO=4&transport=polling HTTP/1.1", "Host: example.com"),
		check: func(t *testing.T, r *Request) {
			expect(t, "method", r.Method, "GET")
			expect(t, "path", r.Path, "/socket.io/")
			expect(t, "query", r.RawQuery, "EIO=4&transport=polling")
			if !r.KeepAlive || r.Minor != 1 || r.ContentLength != -1 || r.Body != nil {
				t.Errorf("flags: %+v", r)
			}
		}},
	{name: "http/1.0 default close", in: req("GET / HTTP/1.0"),
		check: func(t *testing.T, r *Request) {
			if r.KeepAlive || r.Minor != 0 || r.RawQuery != nil {
				t.Errorf("keepalive=%v minor=%d", r.KeepAlive, r.Minor)
			}
		}},
	{name: "http/1.0 keep-alive", in: req("GET / HTTP/1.0", "Connection: Keep-Alive"),
		check: func(t *testing.T, r *Request) {
			if !r.KeepAlive {
				t.Error("want keep-alive")
			}
		}},
	{name: "http/1.1 close", in: req("GET / HTTP/1.1", "Host: a", "Connection: foo, close"),
		check: func(t *testing.T, r *Request) {
			if r.KeepAlive {
				t.Error("want close")
			}
		}},
	{name: "post body", in: req("POST /p?x HTTP/1.1", "Host: a", "Content-Length: 5") + "hello",
		check: func(t *testing.T, r *Request) {
			expect(t, "body", r.Body, "hello")
			if r.ContentLength != 5 {
				t.Error("cl")
			}
		}},
	{name: "content-length zero", in: req("POST / HTTP/1.1", "Host: a", "Content-Length: 000"),
		check: func(t *testing.T, r *Request) {
			if r.Body != nil || r.ContentLength != 0 {
				t.Error("want empty body")
			}
		}},
	{name: "chunked", in: req("POST / HTTP/1.1", "Host: a", "Transfer-Encoding: Chunked") +
		"5;name=val\r\nhello\r\nA  \r\n, world!!!\r\n0\r\nX-Trailer: 1\r\n\r\n",
		check: func(t *testing.T, r *Request) {
			expect(t, "body", r.Body, "hello, world!!!")
			if !r.Chunked || r.ContentLength != -1 {
				t.Error("chunked flags")
			}
		}},
	{name: "chunked empty", in: req("POST / HTTP/1.1", "Host: a", "Transfer-Encoding: chunked") + "0\r\n\r\n",
		check: func(t *testing.T, r *Request) {
			if r.Body != nil || !r.Chunked {
				t.Error("want nil body")
			}
		}},
	{name: "leading crlf", in: "\r\n\r\n" + req("GET / HTTP/1.1", "Host: a"),
		check: func(t *testing.T, r *Request) { expect(t, "target", r.Target, "/") }},
	{name: "absolute form", in: req("GET http://h.example:80/socket.io/?EIO=4 HTTP/1.1", "Host: x"),
		check: func(t *testing.T, r *Request) {
			expect(t, "path", r.Path, "/socket.io/")
			expect(t, "query", r.RawQuery, "EIO=4")
		}},
	{name: "asterisk", in: req("OPTIONS * HTTP/1.1", "Host: a"),
		check: func(t *testing.T, r *Request) { expect(t, "path", r.Path, "*") }},
	{name: "connect", in: req("CONNECT h.example:443 HTTP/1.1", "Host: h.example:443"),
		check: func(t *testing.T, r *Request) { expect(t, "target", r.Target, "h.example:443") }},
	{name: "value trimming and obs-text", in: req("GET / HTTP/1.1", "Host:a", "X-A: \t v \xff v\t "),
		check: func(t *testing.T, r *Request) {
			expect(t, "host", r.Header("host"), "a")
			expect(t, "x-a", r.Header("X-A"), "v \xff v")
		}},
	{name: "empty value", in: req("GET / HTTP/1.1", "Host: a", "X-E:"),
		check: func(t *testing.T, r *Request) {
			if v := r.Header("x-e"); v == nil || len(v) != 0 {
				t.Errorf("x-e=%q", v)
			}
		}},
	{name: "query raw escapes", in: req("GET /a?b=%zz HTTP/1.1", "Host: a")},
	{name: "escapes up to the query", in: req("GET /%41%42?x=%zz HTTP/1.1", "Host: a")},
	{name: "escape at the target's end", in: req("GET /a%41 HTTP/1.1", "Host: a")},
	{name: "utf8 path", in: req("GET /\xc3\xa9 HTTP/1.1", "Host: a")},

	{name: "bare lf", in: "GET / HTTP/1.1\nHost: a\n\n", err: ErrBareLF},
	{name: "bare lf header end", in: "GET / HTTP/1.1\r\nHost: a\r\n\n", err: ErrBareLF},
	{name: "bare lf leading", in: "\nGET / HTTP/1.1\r\n\r\n", err: ErrBareLF},
	{name: "bare cr in value", in: req("GET / HTTP/1.1", "Host: a\rb"), err: ErrBadHeader},
	{name: "double space", in: req("GET  / HTTP/1.1", "Host: a"), err: ErrBadRequestLine},
	{name: "no version", in: req("GET /", "Host: a"), err: ErrBadRequestLine},
	{name: "trailing space", in: req("GET / HTTP/1.1 ", "Host: a"), err: ErrBadRequestLine},
	{name: "lower proto", in: req("GET / http/1.1", "Host: a"), err: ErrBadRequestLine},
	{name: "http 2.0", in: req("GET / HTTP/2.0", "Host: a"), err: ErrVersion},
	{name: "http 1.2", in: req("GET / HTTP/1.2", "Host: a"), err: ErrVersion},
	{name: "http 0.9", in: req("GET / HTTP/0.9"), err: ErrVersion},
	{name: "bad method", in: req("G(T / HTTP/1.1", "Host: a"), err: ErrBadRequestLine},
	{name: "ctl in target", in: req("GET /\x01 HTTP/1.1", "Host: a"), err: ErrBadTarget},
	{name: "bad escape", in: req("GET /%zz HTTP/1.1", "Host: a"), err: ErrBadTarget},
	{name: "truncated escape", in: req("GET /a% HTTP/1.1", "Host: a"), err: ErrBadTarget},
	{name: "escape cut by the query", in: req("GET /a%4?b HTTP/1.1", "Host: a"), err: ErrBadTarget},
	{name: "escape with one digit", in: req("GET /a%4 HTTP/1.1", "Host: a"), err: ErrBadTarget},
	{name: "bad second escape", in: req("GET /%41%4g?x HTTP/1.1", "Host: a"), err: ErrBadTarget},
	{name: "relative target", in: req("GET foo HTTP/1.1", "Host: a"), err: ErrBadTarget},
	{name: "asterisk query", in: req("OPTIONS *?x HTTP/1.1", "Host: a"), err: ErrBadTarget},
	{name: "obs fold", in: req("GET / HTTP/1.1", "Host: a", "X: a", " b"), err: ErrObsFold},
	{name: "space before colon", in: req("GET / HTTP/1.1", "Host : a"), err: ErrBadHeader},
	{name: "space in name", in: req("GET / HTTP/1.1", "Ho st: a"), err: ErrBadHeader},
	{name: "no colon", in: req("GET / HTTP/1.1", "Host a"), err: ErrBadHeader},
	{name: "empty name", in: req("GET / HTTP/1.1", ": a"), err: ErrBadHeader},
	{name: "nul in value", in: req("GET / HTTP/1.1", "Host: a\x00"), err: ErrBadHeader},
	{name: "dup content-length", in: req("POST / HTTP/1.1", "Host: a", "Content-Length: 1", "Content-Length: 1") + "x",
		err: ErrDuplicateContentLength},
	{name: "negative content-length", in: req("POST / HTTP/1.1", "Host: a", "Content-Length: -1"), err: ErrBadContentLength},
	{name: "list content-length", in: req("POST / HTTP/1.1", "Host: a", "Content-Length: 1,1"), err: ErrBadContentLength},
	{name: "empty content-length", in: req("POST / HTTP/1.1", "Host: a", "Content-Length:"), err: ErrBadContentLength},
	{name: "plus content-length", in: req("POST / HTTP/1.1", "Host: a", "Content-Length: +1"), err: ErrBadContentLength},
	{name: "huge content-length", in: req("POST / HTTP/1.1", "Host: a", "Content-Length: 99999999999999999999"),
		err: ErrBadContentLength},
	{name: "content-length over limit", in: req("POST / HTTP/1.1", "Host: a", "Content-Length: 1000001"),
		err: ErrBodyTooLarge},
	{name: "cl and te", in: req("POST / HTTP/1.1", "Host: a", "Content-Length: 3", "Transfer-Encoding: chunked"),
		err: ErrLengthAndChunked},
	{name: "te gzip", in: req("POST / HTTP/1.1", "Host: a", "Transfer-Encoding: gzip, chunked"), err: ErrNotImplemented},
	{name: "te twice", in: req("POST / HTTP/1.1", "Host: a", "Transfer-Encoding: chunked", "Transfer-Encoding: chunked"),
		err: ErrNotImplemented},
	{name: "te in 1.0", in: req("POST / HTTP/1.0", "Transfer-Encoding: chunked"), err: ErrTransferEncoding10},
	{name: "missing host", in: req("GET / HTTP/1.1"), err: ErrMissingHost},
	{name: "dup host", in: req("GET / HTTP/1.1", "Host: a", "host: b"), err: ErrDuplicateHost},
	{name: "chunk bad size", in: req("POST / HTTP/1.1", "Host: a", "Transfer-Encoding: chunked") + "zz\r\n", err: ErrBadChunk},
	{name: "chunk space ext", in: req("POST / HTTP/1.1", "Host: a", "Transfer-Encoding: chunked") + "1 ;a\r\n", err: ErrBadChunk},
	{name: "chunk missing crlf", in: req("POST / HTTP/1.1", "Host: a", "Transfer-Encoding: chunked") + "1\r\nab\r\n",
		err: ErrBadChunk},
	{name: "chunk overflow", in: req("POST / HTTP/1.1", "Host: a", "Transfer-Encoding: chunked") + "fffffffffffffffff\r\n",
		err: ErrBadChunk},
	{name: "chunk too large", in: req("POST / HTTP/1.1", "Host: a", "Transfer-Encoding: chunked") + "F4241\r\n",
		err: ErrBodyTooLarge},
	{name: "chunk bare lf", in: req("POST / HTTP/1.1", "Host: a", "Transfer-Encoding: chunked") + "1\n", err: ErrBareLF},
	{name: "trailer fold", in: req("POST / HTTP/1.1", "Host: a", "Transfer-Encoding: chunked") + "0\r\nA: b\r\n c\r\n\r\n",
		err: ErrObsFold},
	{name: "trailer bad", in: req("POST / HTTP/1.1", "Host: a", "Transfer-Encoding: chunked") + "0\r\nA b\r\n\r\n",
		err: ErrBadHeader},
}

func expect(t *testing.T, what string, got []byte, want string) {
	t.Helper()
	if string(got) != want {
		t.Errorf("%s = %q, want %q", what, got, want)
	}
}

func TestParseTable(t *testing.T) {
	for _, tc := range parseCases {
		t.Run(tc.name, func(t *testing.T) {
			var p Parser
			in := []byte(tc.in)
			n, err := p.Parse(in)
			if tc.err != nil {
				if err != tc.err {
					t.Fatalf("err = %v, want %v", err, tc.err)
				}
				var e *Error
				if !errors.As(err, &e) || e.Status != tc.err.Status {
					t.Fatalf("status mismatch")
				}
				if p.InProgress() {
					t.Error("InProgress after error")
				}
				return
			}
			if err != nil || n != len(in) {
				t.Fatalf("Parse = %d, %v; want %d, nil", n, err, len(in))
			}
			if p.InProgress() {
				t.Error("InProgress after complete request")
			}
			if tc.check != nil {
				tc.check(t, p.Request())
			}
		})
	}
}

// TestParseOneByte checks resumability: every case fed one byte at a time
// (each prefix in a fresh buffer) gives the same result as the whole input.
func TestParseOneByte(t *testing.T) {
	for _, tc := range parseCases {
		in := []byte(tc.in)
		var p1, p2 Parser
		want := parseWhole(&p1, in)
		cuts := make([]int, len(in))
		for i := range cuts {
			cuts[i] = i
		}
		got := parseChunks(&p2, in, cuts)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: one-byte feed %+v, whole %+v", tc.name, got, want)
		}
	}
}

func TestParseIncomplete(t *testing.T) {
	full := req("POST / HTTP/1.1", "Host: a", "Content-Length: 4") + "body"
	var p Parser
	if p.InProgress() {
		t.Fatal("fresh parser in progress")
	}
	for i := 0; i < len(full); i++ {
		n, err := p.Parse([]byte(full[:i]))
		if n != 0 || err != nil {
			t.Fatalf("prefix %d: %d, %v", i, n, err)
		}
		if p.InProgress() != (i > 0) {
			t.Fatalf("prefix %d: InProgress=%v", i, p.InProgress())
		}
	}
	if n, err := p.Parse([]byte(full)); n != len(full) || err != nil {
		t.Fatalf("full: %d, %v", n, err)
	}
	// The next Parse starts a new request; an empty rest is not in progress.
	if n, err := p.Parse(nil); n != 0 || err != nil || p.InProgress() {
		t.Fatalf("empty rest: %d %v %v", n, err, p.InProgress())
	}
}

func TestParsePipelining(t *testing.T) {
	in := req("GET /a HTTP/1.1", "Host: h") +
		req("POST /b HTTP/1.1", "Host: h", "Content-Length: 3") + "xyz" +
		req("POST /c HTTP/1.1", "Host: h", "Transfer-Encoding: chunked") + "2\r\nok\r\n0\r\n\r\n" +
		"GET /d HT" // a fourth, incomplete request
	buf := []byte(in)
	var p Parser
	var paths, bodies []string
	for {
		n, err := p.Parse(buf)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
		paths = append(paths, string(p.Request().Path))
		bodies = append(bodies, string(p.Request().Body))
		buf = buf[n:]
	}
	if strings.Join(paths, ",") != "/a,/b,/c" || strings.Join(bodies, ",") != ",xyz,ok" {
		t.Fatalf("paths %q bodies %q", paths, bodies)
	}
	if string(buf) != "GET /d HT" || !p.InProgress() {
		t.Fatalf("rest %q inProgress %v", buf, p.InProgress())
	}
}

// TestParseLinearWork feeds an 8 KiB header section one byte at a time and
// checks the parser examined each byte a bounded number of times.
func TestParseLinearWork(t *testing.T) {
	var b strings.Builder
	b.WriteString("GET / HTTP/1.1\r\nHost: a\r\n")
	for b.Len() < 8000 {
		b.WriteString("X-Filler: 0123456789abcdef0123456789abcdef0123456789abcdef\r\n")
	}
	b.WriteString("\r\n")
	in := []byte(b.String())
	p := Parser{Limits: Limits{MaxHeaderBytes: 16 << 10, MaxHeaderCount: 1000}}
	for i := 1; i < len(in); i++ {
		if n, err := p.Parse(in[:i]); n != 0 || err != nil {
			t.Fatalf("prefix %d: %d %v", i, n, err)
		}
	}
	if n, err := p.Parse(in); n != len(in) || err != nil {
		t.Fatalf("full: %d %v", n, err)
	}
	if p.work > 2*len(in) {
		t.Fatalf("examined %d bytes for a %d-byte input: not linear", p.work, len(in))
	}
}

func TestParseLimits(t *testing.T) {
	small := Limits{MaxHeaderBytes: 64, MaxHeaderCount: 2, MaxBodyBytes: 10}
	cases := []struct {
		name string
		in   string
		err  *Error
	}{
		{"header fits", req("GET / HTTP/1.1", "Host: a", "B: c"), nil},
		{"too many headers", req("GET / HTTP/1.1", "Host: a", "B: c", "D: e"), ErrTooManyHeaders},
		{"header too large complete", req("GET / HTTP/1.1", "Host: a", "B: "+strings.Repeat("x", 60)), ErrHeaderTooLarge},
		{"header too large incomplete", "GET / HTTP/1.1\r\nHost: " + strings.Repeat("x", 60), ErrHeaderTooLarge},
		{"request line too large", "GET /" + strings.Repeat("x", 70), ErrHeaderTooLarge},
		{"leading crlf count", strings.Repeat("\r\n", 40), ErrHeaderTooLarge},
		{"body fits", req("POST / HTTP/1.1", "Host: a", "Content-Length: 10") + "0123456789", nil},
		{"body too large before body", req("POST / HTTP/1.1", "Host: a", "Content-Length: 11"), ErrBodyTooLarge},
		{"chunked too large", req("POST / HTTP/1.1", "Host: a", "Transfer-Encoding: chunked") +
			"6\r\n012345\r\n5\r\n", ErrBodyTooLarge},
		{"trailers count", req("POST / HTTP/1.1", "Host: a", "Transfer-Encoding: chunked") +
			"0\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", ErrTooManyHeaders},
		{"trailers size", req("POST / HTTP/1.1", "Host: a", "Transfer-Encoding: chunked") +
			"0\r\nA: " + strings.Repeat("y", 70), ErrHeaderTooLarge},
		{"chunk line too long", req("POST / HTTP/1.1", "Host: a", "Transfer-Encoding: chunked") +
			"1;" + strings.Repeat("e", maxChunkLine), ErrBadChunk},
	}
	for _, tc := range cases {
		p := Parser{Limits: small}
		_, err := p.Parse([]byte(tc.in))
		if tc.err == nil && err != nil || tc.err != nil && err != tc.err {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.err)
		}
	}
}

func TestParseDefaults(t *testing.T) {
	var p Parser
	body := strings.Repeat("b", DefaultMaxBodyBytes)
	in := req("POST / HTTP/1.1", "Host: a", fmt.Sprintf("Content-Length: %d", len(body))) + body
	if n, err := p.Parse([]byte(in)); n != len(in) || err != nil {
		t.Fatalf("max body: %d %v", n, err)
	}
	p.Reset()
	many := "GET / HTTP/1.1\r\nHost: a\r\n" + strings.Repeat("X: y\r\n", DefaultMaxHeaderCount) + "\r\n"
	if _, err := p.Parse([]byte(many)); err != ErrTooManyHeaders {
		t.Fatalf("header count: %v", err)
	}
	if _, err := p.Parse([]byte("GET / HTTP/1.1\r\n")); err != ErrTooManyHeaders {
		t.Fatalf("error not sticky: %v", err)
	}
	p.Reset()
	if _, err := p.Parse([]byte("GET / HTTP/1.1\r\nHost: a\r\n\r\n")); err != nil {
		t.Fatalf("after Reset: %v", err)
	}
}

func TestParseChunkedExcess(t *testing.T) {
	var b strings.Builder
	b.WriteString(req("POST / HTTP/1.1", "Host: a", "Transfer-Encoding: chunked"))
	for i := 0; i < 200; i++ {
		b.WriteString("1;" + strings.Repeat("e", 200) + "\r\nx\r\n")
	}
	var p Parser
	if _, err := p.Parse([]byte(b.String())); err != ErrBadChunk {
		t.Fatalf("err = %v, want ErrBadChunk", err)
	}
}

func TestNeedContinue(t *testing.T) {
	head := req("POST / HTTP/1.1", "Host: a", "Expect: 100-continue", "Content-Length: 2")
	var p Parser
	if n, _ := p.Parse([]byte(head[:10])); n != 0 || p.NeedContinue() {
		t.Fatal("continue before headers")
	}
	if n, _ := p.Parse([]byte(head)); n != 0 || !p.NeedContinue() {
		t.Fatal("want NeedContinue after headers")
	}
	if p.NeedContinue() {
		t.Fatal("NeedContinue twice")
	}
	if n, err := p.Parse([]byte(head + "ok")); n != len(head)+2 || err != nil {
		t.Fatalf("body: %d %v", n, err)
	}
	if got := string(AppendContinue(nil)); got != "HTTP/1.1 100 Continue\r\n\r\n" {
		t.Fatal(got)
	}
}

func TestResetDropsLargeBody(t *testing.T) {
	body := strings.Repeat("z", 100<<10)
	in := req("POST / HTTP/1.1", "Host: a", "Transfer-Encoding: chunked") +
		fmt.Sprintf("%x\r\n%s\r\n0\r\n\r\n", len(body), body)
	var p Parser
	if n, err := p.Parse([]byte(in)); n != len(in) || err != nil || string(p.Request().Body) != body {
		t.Fatalf("%d %v", n, err)
	}
	p.Reset()
	if cap(p.body) != 0 {
		t.Fatalf("kept %d-byte body buffer", cap(p.body))
	}
}

func TestErrorString(t *testing.T) {
	if ErrBodyTooLarge.Error() != "httpx: request body too large" {
		t.Fatal(ErrBodyTooLarge.Error())
	}
	e := &Error{Status: 418, Message: "teapot"}
	if e.Error() != "httpx: teapot" {
		t.Fatal(e.Error())
	}
}
