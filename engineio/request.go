package engineio

import (
	"errors"
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
// and Method, URL and Path are substrings of it found by offsets (64 bytes
// plus the string, against 112 with a string header each). The header and
// query maps are built on the first call of Header or Query (about 1 KiB
// per request that nobody may ever read). A Request is read-only and safe
// for concurrent use.
type Request struct {
	// all is "METHOD TARGET" followed by "Key: Value\r\n" for each header
	// field as received, and, only when the path is not a substring of the
	// target, the path.
	all    string
	parsed atomic.Pointer[parsedRequest] // built on first use
	// The address and port apart: a netip.AddrPort would pad its 2-byte
	// port to 8.
	addr   netip.Addr
	port   uint16
	secure bool
	// Offsets into all: the head of a request is at most maxRequestCopy.
	methodEnd uint16 // all[:methodEnd] is the method
	targetEnd uint16 // all[methodEnd+1:targetEnd] is the target
	pathOff   uint16 // all[pathOff:pathEnd] is the path
	pathEnd   uint16
}

// maxRequestCopy bounds the compact copy so that 16-bit offsets reach all
// of it; the server's own limit on a request head is 16 KiB.
const maxRequestCopy = 1<<16 - 1

// ErrRequestTooLarge is returned by NewRequest for a request whose method,
// target, header fields and path take more than 65,535 bytes.
var ErrRequestTooLarge = errors.New("engineio: request head over 65,535 bytes")

// parsedRequest holds the maps built from the compact copy.
type parsedRequest struct {
	header http.Header
	query  url.Values
}

// newRequest copies r. Its head is within the parser's limit (16 KiB, see
// Server), so the copy is within maxRequestCopy.
func newRequest(r *httpx.Request, remote netip.AddrPort) *Request {
	n := len(r.Method) + 1 + len(r.Target)
	for _, f := range r.Headers {
		n += len(f.Key) + 2 + len(f.Value) + 2
	}
	pathOff, inTarget := pathOffset(r)
	if !inTarget {
		n += len(r.Path)
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
	fieldsEnd := b.Len()
	if inTarget {
		pathOff += len(r.Method) + 1
	} else {
		pathOff = fieldsEnd
		b.Write(r.Path)
	}
	return &Request{
		all:       b.String(),
		addr:      remote.Addr(),
		port:      remote.Port(),
		secure:    strings.EqualFold(string(r.Header("X-Forwarded-Proto")), "https"),
		methodEnd: uint16(len(r.Method)),
		targetEnd: uint16(len(r.Method) + 1 + len(r.Target)),
		pathOff:   uint16(pathOff),
		pathEnd:   uint16(pathOff + len(r.Path)),
	}
}

// pathOffset returns where r.Path starts within r.Target. The parser slices
// both from its buffer, so the difference of their capacities is the
// offset; it is checked, and not found for a path the parser built itself.
// An empty path is placed at the target's start, so that a path within the
// target always starts before the target ends (see fields).
func pathOffset(r *httpx.Request) (int, bool) {
	if len(r.Path) == 0 {
		return 0, true
	}
	off := cap(r.Target) - cap(r.Path)
	if off < 0 || off+len(r.Path) > len(r.Target) || string(r.Target[off:off+len(r.Path)]) != string(r.Path) {
		return 0, false
	}
	return off, true
}

// NewRequest builds a Request from its parts, for tests of hooks and for
// embedders that accept requests elsewhere. The path is the target up to
// '?', without scheme and host for an absolute-form target. It fails with
// ErrRequestTooLarge past 65,535 bytes. Any goroutine.
func NewRequest(method, target string, header http.Header, remote netip.AddrPort) (*Request, error) {
	var b strings.Builder
	b.WriteString(method)
	b.WriteByte(' ')
	b.WriteString(target)
	for k, vs := range header {
		for _, v := range vs {
			b.WriteString(k + ": " + v + "\r\n")
		}
	}
	path, _, _ := strings.Cut(target, "?")
	pathOff := len(method) + 1
	if rest, ok := cutScheme(path); ok {
		i := strings.IndexByte(rest, '/')
		if i < 0 {
			i = len(rest)
		}
		pathOff += len(path) - len(rest) + i
		path = rest[i:]
	}
	if path == "" {
		pathOff = len(method) + 1
	}
	if b.Len() > maxRequestCopy {
		return nil, ErrRequestTooLarge
	}
	return &Request{
		all:       b.String(),
		addr:      remote.Addr(),
		port:      remote.Port(),
		secure:    strings.EqualFold(header.Get("X-Forwarded-Proto"), "https"),
		methodEnd: uint16(len(method)),
		targetEnd: uint16(len(method) + 1 + len(target)),
		pathOff:   uint16(pathOff),
		pathEnd:   uint16(pathOff + len(path)),
	}, nil
}

// cutScheme returns s after "http://" or "https://".
func cutScheme(s string) (string, bool) {
	if rest, ok := strings.CutPrefix(s, "http://"); ok {
		return rest, true
	}
	return strings.CutPrefix(s, "https://")
}

// Method returns the request method. Any goroutine.
func (r *Request) Method() string { return r.all[:r.methodEnd] }

// URL returns the request target as sent: the path and query (absolute-form
// targets include scheme and host). Any goroutine.
func (r *Request) URL() string {
	if r.targetEnd == 0 { // the zero Request
		return ""
	}
	return r.all[r.methodEnd+1 : r.targetEnd]
}

// Path returns the path of the request target, without the query. Any
// goroutine.
func (r *Request) Path() string { return r.all[r.pathOff:r.pathEnd] }

// RemoteAddr returns the peer's address. Any goroutine.
func (r *Request) RemoteAddr() netip.AddrPort { return netip.AddrPortFrom(r.addr, r.port) }

// Secure reports whether the request came through a proxy that terminated
// TLS (X-Forwarded-Proto: https); this server speaks plain TCP. Any
// goroutine.
func (r *Request) Secure() bool { return r.secure }

// fields returns the header fields, "Key: Value\r\n" each.
func (r *Request) fields() string {
	end := len(r.all)
	if r.pathOff >= r.targetEnd { // the path was appended after the fields
		end = int(r.pathOff)
	}
	return r.all[r.targetEnd:end]
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
	if _, q, ok := strings.Cut(r.URL(), "?"); ok {
		p.query, _ = url.ParseQuery(q)
	} else {
		p.query = url.Values{}
	}
	fields := r.fields()
	p.header = make(http.Header, strings.Count(fields, "\r\n"))
	for rest := fields; rest != ""; {
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
