package engineio

import (
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync/atomic"

	"github.com/sio-fast/sio-fast/httpx"
)

// Request is an owned copy of an HTTP request, given to hooks and kept by
// a session as its handshake request.
//
// A server holding many idle sessions keeps one Request each, so the copy is
// compact: the request line and header fields are copied into one string,
// and Method, URL and Path are substrings of it. The header and query maps
// are built on the first call of Header or Query (about 1 KiB per request
// that nobody may ever read). A Request is read-only and safe for concurrent
// use.
type Request struct {
	Method     string
	URL        string // path and query as sent
	Path       string
	RemoteAddr netip.AddrPort
	Secure     bool // X-Forwarded-Proto: https (this server speaks plain TCP)

	fields string                        // "Key: Value\r\n" for each header field, as received
	parsed atomic.Pointer[parsedRequest] // built on first use
}

// parsedRequest holds the maps built from the compact copy.
type parsedRequest struct {
	header http.Header
	query  url.Values
}

func newRequest(r *httpx.Request, remote netip.AddrPort) *Request {
	n := len(r.Method) + 1 + len(r.Target)
	for _, f := range r.Headers {
		n += len(f.Key) + 2 + len(f.Value) + 2
	}
	var b strings.Builder
	b.Grow(n)
	b.Write(r.Method)
	b.WriteByte(' ')
	b.Write(r.Target)
	for _, f := range r.Headers {
		b.Write(f.Key)
		b.WriteString(": ")
		b.Write(f.Value)
		b.WriteString("\r\n")
	}
	all := b.String()
	method := all[:len(r.Method)]
	target := all[len(method)+1 : len(method)+1+len(r.Target)]
	path := target[:min(len(r.Path), len(target))]
	if path != string(r.Path) { // absolute-form: the path is not a prefix
		path = string(r.Path)
	}
	return &Request{
		Method:     method,
		URL:        target,
		Path:       path,
		RemoteAddr: remote,
		Secure:     strings.EqualFold(string(r.Header("X-Forwarded-Proto")), "https"),
		fields:     all[len(method)+1+len(target):],
	}
}

// Header returns the request's header fields by canonical name. The map is
// built on the first call and shared by every caller: do not modify it.
// Any goroutine.
func (r *Request) Header() http.Header { return r.parse().header }

// Query returns the request's query parameters. The map is built on the
// first call and shared by every caller: do not modify it. Any goroutine.
func (r *Request) Query() url.Values { return r.parse().query }

// parse returns the header and query maps, building them from the compact
// copy on first use (goroutines racing here build equal maps; one wins).
// The fields were validated by the HTTP parser when the request arrived.
func (r *Request) parse() *parsedRequest {
	if p := r.parsed.Load(); p != nil {
		return p
	}
	p := &parsedRequest{}
	if i := strings.IndexByte(r.URL, '?'); i >= 0 {
		p.query, _ = url.ParseQuery(r.URL[i+1:])
	} else {
		p.query = url.Values{}
	}
	p.header = make(http.Header, strings.Count(r.fields, "\r\n"))
	for rest := r.fields; rest != ""; {
		line, next, _ := strings.Cut(rest, "\r\n")
		rest = next
		k, v, _ := strings.Cut(line, ": ")
		k = http.CanonicalHeaderKey(k)
		p.header[k] = append(p.header[k], v)
	}
	if !r.parsed.CompareAndSwap(nil, p) {
		return r.parsed.Load()
	}
	return p
}

// reqView bundles what request handling needs: the borrowed httpx request,
// its query fields, and a lazily built owned copy for hooks.
type reqView struct {
	r         *httpx.Request
	remote    netip.AddrPort
	eio       []byte
	transport []byte
	sid       []byte
	b64       bool
	owned     *Request
}

func (v *reqView) request() *Request {
	if v.owned == nil {
		v.owned = newRequest(v.r, v.remote)
	}
	return v.owned
}
