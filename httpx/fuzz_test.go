package httpx

import (
	"bufio"
	"bytes"
	"io"
	"math/rand"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func addSeeds(f *testing.F) {
	for _, s := range []string{samplePollingGET, samplePOST1K, sampleUpgrade, sampleChunked,
		samplePollingGET + sampleChunked + samplePOST1K} {
		f.Add([]byte(s))
	}
	for _, c := range parseCases {
		f.Add([]byte(c.in))
	}
}

// stricterThanNetHTTP lists our rejections that net/http (ReadRequest, which
// does less than its Server) accepts on purpose. Each is documented in doc.go:
//   - ErrBareLF: we require CRLF line ends.
//   - ErrObsFold: net/http still unfolds obsolete line folding.
//   - ErrDuplicateContentLength: net/http merges equal duplicates.
//   - ErrLengthAndChunked: net/http lets chunked override Content-Length.
//   - ErrTransferEncoding10: net/http ignores Transfer-Encoding in HTTP/1.0.
//   - ErrVersion: ReadRequest parses any HTTP/D.D; we serve 1.0 and 1.1 only.
//   - ErrMissingHost: only net/http's Server enforces Host on HTTP/1.1.
//   - ErrBadChunk: we also reject control bytes inside chunk extensions.
//   - limit errors: ReadRequest has no header/body limits of its own.
var stricterThanNetHTTP = map[*Error]bool{
	ErrBareLF: true, ErrObsFold: true, ErrDuplicateContentLength: true, ErrLengthAndChunked: true,
	ErrTransferEncoding10: true, ErrVersion: true, ErrMissingHost: true, ErrBadChunk: true,
	ErrHeaderTooLarge: true, ErrTooManyHeaders: true, ErrBodyTooLarge: true,
}

// goParse runs net/http.ReadRequest and reads the body, returning the
// request, body and the number of bytes the request occupied.
func goParse(data []byte) (*http.Request, []byte, int, error) {
	src := bytes.NewReader(data)
	br := bufio.NewReader(src)
	r, err := http.ReadRequest(br)
	if err != nil {
		return nil, nil, 0, err
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, nil, 0, err
	}
	return r, body, len(data) - br.Buffered() - src.Len(), nil
}

// FuzzParseDifferential compares Parse with net/http.ReadRequest.
//
// When we accept, net/http must accept the same framing (bytes consumed),
// method, target, header multiset, body and keep-alive decision. The one
// known exception: for absolute-form and authority-form targets we do not
// validate the authority, which net/url does.
// When we reject, net/http must reject too unless our error is in
// stricterThanNetHTTP, or it is ErrBadHeader for a field name containing
// whitespace (net/http keeps such names uncanonicalized), or
// ErrBadRequestLine for an empty target (net/http takes "CONNECT  HTTP/1.1"
// as an empty authority).
// When we need more bytes, net/http must not find a complete request.
func FuzzParseDifferential(f *testing.F) {
	addSeeds(f)
	f.Add([]byte("GET / HTTP/1.1\nHost: a\n\n"))
	f.Add([]byte("GET / HTTP/1.1\r\nHost: a\r\nPragma: no-cache\r\n\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p := Parser{Limits: Limits{MaxHeaderBytes: 1 << 20, MaxHeaderCount: 1 << 20, MaxBodyBytes: 1 << 20}}
		n, err := p.Parse(data)
		lead := 0
		for bytes.HasPrefix(data[lead:], []byte("\r\n")) {
			lead += 2 // we skip empty lines before the request line; net/http does not
		}
		greq, gbody, gn, gerr := goParse(data[lead:])
		switch {
		case err != nil:
			e := err.(*Error)
			if gerr == nil && !stricterThanNetHTTP[e] && !(e == ErrBadHeader && spaceInName(data)) &&
				!(e == ErrBadRequestLine && greq.RequestURI == "") {
				t.Fatalf("we reject (%v), net/http accepts %q", err, data)
			}
		case n == 0:
			if gerr == nil {
				t.Fatalf("we need more bytes, net/http accepts %d bytes of %q", gn, data)
			}
		default:
			r := p.Request()
			if gerr != nil {
				if r.Target[0] != '/' {
					return // authority not validated by us (documented)
				}
				t.Fatalf("we accept, net/http rejects (%v): %q", gerr, data)
			}
			compareWithGo(t, data, r, n-lead, greq, gbody, gn)
		}
	})
}

// spaceInName reports whether a header or trailer line (any line after the
// request line) has whitespace inside its field name, which net/http accepts.
func spaceInName(data []byte) bool {
	lines := strings.Split(string(data), "\n")
	for _, l := range lines[1:] {
		if name, _, ok := strings.Cut(l, ":"); ok && strings.ContainsAny(name, " \t") {
			return true
		}
	}
	return false
}

func compareWithGo(t *testing.T, data []byte, r *Request, n int, g *http.Request, gbody []byte, gn int) {
	t.Helper()
	if n != gn {
		t.Fatalf("framing: we consume %d, net/http %d: %q", n, gn, data)
	}
	if string(r.Method) != g.Method || string(r.Target) != g.RequestURI {
		t.Fatalf("request line: %q %q vs %q %q", r.Method, r.Target, g.Method, g.RequestURI)
	}
	if !bytes.Equal(r.Body, gbody) {
		t.Fatalf("body %q vs %q", r.Body, gbody)
	}
	ours := http.Header{}
	for _, h := range r.Headers {
		ours.Add(string(h.Key), string(h.Value))
	}
	ours.Del("Transfer-Encoding") // net/http moves it to TransferEncoding
	if host := ours.Get("Host"); r.Target[0] == '/' && host != g.Host {
		t.Fatalf("host %q vs %q", host, g.Host)
	}
	ours.Del("Host") // net/http moves it to Host
	if pragma := ours["Pragma"]; len(pragma) > 0 && pragma[0] == "no-cache" && ours["Cache-Control"] == nil {
		ours.Set("Cache-Control", "no-cache") // net/http fixPragmaCacheControl
	}
	theirs := g.Header.Clone()
	for _, m := range []http.Header{ours, theirs} {
		for k, vs := range m {
			m[k] = slices.Clone(vs)
		}
	}
	if !reflect.DeepEqual(ours, theirs) {
		t.Fatalf("headers %v vs %v", ours, theirs)
	}
	if r.KeepAlive == g.Close {
		t.Fatalf("keep-alive %v vs close %v: %q", r.KeepAlive, g.Close, data)
	}
}

// parseStream plays the connection layer: bytes arrive up to each cut, every
// complete request is taken and discarded, and each Parse sees a fresh copy
// of the unconsumed bytes (so stale slices would be caught).
func parseStream(data []byte, cuts []int, lim Limits) []result {
	p := Parser{Limits: lim}
	var out []result
	start := 0
	for _, c := range append(cuts, len(data)) {
		for {
			buf := append([]byte(nil), data[start:c]...)
			n, err := p.Parse(buf)
			if err != nil {
				return append(out, result{Err: err})
			}
			if n == 0 {
				break
			}
			out = append(out, result{Snap: snapshot(p.Request(), n)})
			start += n
		}
	}
	return append(out, result{Incomplete: p.InProgress(), Snap: snap{N: len(data) - start}})
}

// FuzzParseSplitFeed checks that feeding the input in random chunks gives
// the same sequence of requests (or the same error) as feeding it whole.
func FuzzParseSplitFeed(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		lim := Limits{MaxHeaderBytes: 300, MaxHeaderCount: 8, MaxBodyBytes: 1100}
		want := parseStream(data, nil, lim)
		rng := rand.New(rand.NewSource(int64(len(data))))
		for round := 0; round < 3; round++ {
			var cuts []int
			for c := 0; c < len(data); {
				c += 1 + rng.Intn(1+len(data)/4*round)
				if c < len(data) {
					cuts = append(cuts, c)
				}
			}
			if got := parseStream(data, cuts, lim); !reflect.DeepEqual(got, want) {
				t.Fatalf("cuts %v:\n got %+v\nwant %+v", cuts, got, want)
			}
		}
	})
}

// FuzzQuery checks Query against a plain split of the query string (net/url's
// pairs, without unescaping; an empty name matches an empty pair but for a
// trailing one), and QueryValues against Query.
func FuzzQuery(f *testing.F) {
	for _, s := range []string{"EIO=4&transport=polling&sid=Xr5vF3s9kLq2AAAB", "a&=b&&a=c&", "", "&", "=", "sid=&sid=x", "b64=1&EIO=3"} {
		f.Add(s, "sid")
	}
	f.Fuzz(func(t *testing.T, query, name string) {
		r := Request{RawQuery: []byte(query)}
		var want []byte
		found := false
		pairs := strings.Split(query, "&")
		if pairs[len(pairs)-1] == "" {
			pairs = pairs[:len(pairs)-1] // nothing after the last '&' is no pair
		}
		for _, pair := range pairs {
			k, v, _ := strings.Cut(pair, "=")
			if k == name {
				want, found = []byte(v), true
				break
			}
		}
		got := r.Query(name)
		if (got != nil) != found || string(got) != string(want) {
			t.Fatalf("Query(%q) in %q = %q (present %v), want %q (present %v)", name, query, got, got != nil, want, found)
		}
		names := []string{"EIO", name, "transport", "sid", "b64", name}
		vals := make([][]byte, len(names))
		r.QueryValues(names, vals)
		for i, n := range names {
			if w := r.Query(n); (vals[i] != nil) != (w != nil) || string(vals[i]) != string(w) {
				t.Fatalf("QueryValues: %q in %q = %q, Query says %q", n, query, vals[i], w)
			}
		}
	})
}
