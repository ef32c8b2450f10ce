package engineio

import (
	"bytes"
	"errors"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync/atomic"
	"unsafe"

	"github.com/sio-fast/sio-fast/httpx"
)

// Request is an owned copy of an HTTP request, given to hooks and kept by
// a session as its handshake request.
//
// A server holding many idle sessions keeps one Request each, so the copy is
// compact: one string holds the request line, the header fields, and at its
// end the peer's address and the offsets of method, target and path (see
// requestMeta), so that the struct is that string and the pointer to the
// maps (24 bytes, where a struct of the offsets and the address was 64).
// Header fields common in WebSocket handshakes are stored as one byte each
// (fieldcodes.go): a browser's handshake loses about a third of its
// length. The header and query maps are built on the first call of Header
// or Query (about 1 KiB per request that nobody may ever read). A Request
// is read-only and safe for concurrent use.
type Request struct {
	// all is "METHOD TARGET", the header fields (as appendField encodes
	// them), and, only when the path is not a substring of the target, the
	// path; then the address's zone and bytes and the requestMeta.
	all    string
	parsed atomic.Pointer[parsedRequest] // built on first use
}

// requestMeta is the fixed-size end of Request.all: the offsets into all (the
// head of a request is at most maxRequestCopy) and the peer's address (its
// bytes and zone come just before).
type requestMeta struct {
	methodEnd uint16 // all[:methodEnd] is the method
	targetEnd uint16 // all[methodEnd+1:targetEnd] is the target
	pathOff   uint16 // all[pathOff:pathEnd] is the path
	pathEnd   uint16
	port      uint16
	zoneLen   uint16
	flags     uint8 // metaSecure, and the address's kind (metaAddrMask)
}

// metaLen is the encoded size of requestMeta.
const metaLen = 13

const (
	metaSecure   = 1 << 0
	metaAddrV4   = 1 << 1
	metaAddrV6   = 2 << 1
	metaAddrMask = 3 << 1
	// metaTargetCoded: the target is commonTargets[all[methodEnd+1]]
	// (targetEnd is methodEnd+2), and pathOff and pathEnd index that string.
	metaTargetCoded = 1 << 3
)

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

// appendMeta ends a compact copy: the address's zone and bytes, then m.
func appendMeta(b []byte, m requestMeta, remote netip.AddrPort, secure bool) []byte {
	a := remote.Addr()
	m.port = remote.Port()
	if secure {
		m.flags |= metaSecure
	}
	switch {
	case a.Is4():
		m.flags |= metaAddrV4
		v4 := a.As4()
		b = append(b, v4[:]...)
	case a.Is6():
		m.flags |= metaAddrV6
		zone := a.Zone()
		m.zoneLen = uint16(min(len(zone), 1<<16-1))
		b = append(b, zone[:m.zoneLen]...)
		v6 := a.As16()
		b = append(b, v6[:]...)
	}
	return append(b, byte(m.methodEnd>>8), byte(m.methodEnd), byte(m.targetEnd>>8), byte(m.targetEnd),
		byte(m.pathOff>>8), byte(m.pathOff), byte(m.pathEnd>>8), byte(m.pathEnd),
		byte(m.port>>8), byte(m.port), byte(m.zoneLen>>8), byte(m.zoneLen), m.flags)
}

// addrLen is what appendMeta adds for a before the requestMeta.
func addrLen(a netip.Addr) int {
	switch {
	case a.Is4():
		return 4
	case a.Is6():
		return 16 + min(len(a.Zone()), 1<<16-1)
	}
	return 0
}

// meta decodes the requestMeta at the end of r.all; the zero Request has
// a zero one.
func (r *Request) meta() requestMeta {
	if len(r.all) < metaLen {
		return requestMeta{}
	}
	t := r.all[len(r.all)-metaLen:]
	u16 := func(i int) uint16 { return uint16(t[i])<<8 | uint16(t[i+1]) }
	return requestMeta{methodEnd: u16(0), targetEnd: u16(2), pathOff: u16(4), pathEnd: u16(6),
		port: u16(8), zoneLen: u16(10), flags: t[12]}
}

// addrLen is the length of the address bytes and zone before the meta.
func (m requestMeta) addrLen() int {
	switch m.flags & metaAddrMask {
	case metaAddrV4:
		return 4
	case metaAddrV6:
		return 16 + int(m.zoneLen)
	}
	return 0
}

// newRequest copies r. Its head is within the parser's limit (16 KiB, see
// Server), so the copy is within maxRequestCopy.
func newRequest(r *httpx.Request, remote netip.AddrPort) *Request {
	// The header fields' codes are looked up twice rather than kept: the
	// string must be allocated at its exact length (one size class), and
	// a request may have any number of fields.
	tc, coded := targetCode(r.Target, r.Path)
	targetLen := len(r.Target)
	if coded {
		targetLen = 1
	}
	n := len(r.Method) + 1 + targetLen
	for _, f := range r.Headers {
		n += fieldLen(codeOf(f.Key, f.Value), f.Key, f.Value)
	}
	pathOff, inTarget := pathOffset(r)
	if coded {
		pathOff, inTarget = 0, true
	}
	if !inTarget {
		n += len(r.Path)
	}
	b := make([]byte, 0, n+addrLen(remote.Addr())+metaLen)
	b = append(b, r.Method...)
	b = append(b, ' ')
	if coded {
		b = append(b, tc)
	} else {
		b = append(b, r.Target...)
	}
	for _, f := range r.Headers {
		b = appendField(b, codeOf(f.Key, f.Value), f.Key, f.Value)
	}
	switch {
	case coded: // pathOff indexes the target's own string
	case inTarget:
		pathOff += len(r.Method) + 1
	default:
		pathOff = len(b)
		b = append(b, r.Path...)
	}
	m := requestMeta{
		methodEnd: uint16(len(r.Method)),
		targetEnd: uint16(len(r.Method) + 1 + targetLen),
		pathOff:   uint16(pathOff),
		pathEnd:   uint16(pathOff + len(r.Path)),
	}
	if coded {
		m.flags = metaTargetCoded
	}
	secure := strings.EqualFold(string(r.Header("X-Forwarded-Proto")), "https")
	b = appendMeta(b, m, remote, secure)
	return &Request{all: unsafe.String(unsafe.SliceData(b), len(b))}
}

// pathOffset returns where r.Path occurs within r.Target: at its start for
// an origin-form target, after scheme and host for an absolute-form one,
// and nowhere for a path the parser built itself. (The parser's slices are
// capped at their length, so their capacities tell nothing of where the
// path was in the buffer.) Any occurrence will do, as Path returns only the
// bytes. An empty path is placed at the target's start, so that a path
// within the target always starts before the target ends (see fields).
func pathOffset(r *httpx.Request) (int, bool) {
	if len(r.Path) == 0 || bytes.HasPrefix(r.Target, r.Path) {
		return 0, true
	}
	if off := bytes.Index(r.Target, r.Path); off >= 0 {
		return off, true
	}
	return 0, false
}

// NewRequest builds a Request from its parts, for tests of hooks and for
// embedders that accept requests elsewhere. The path is the target up to
// '?', without scheme and host for an absolute-form target. It fails with
// ErrRequestTooLarge past 65,535 bytes. Any goroutine.
func NewRequest(method, target string, header http.Header, remote netip.AddrPort) (*Request, error) {
	b := make([]byte, 0, len(method)+1+len(target))
	b = append(b, method...)
	b = append(b, ' ')
	b = append(b, target...)
	for k, vs := range header {
		for _, v := range vs {
			kb, vb := []byte(k), []byte(v)
			b = appendField(b, codeOf(kb, vb), kb, vb)
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
	if len(b) > maxRequestCopy {
		return nil, ErrRequestTooLarge
	}
	m := requestMeta{
		methodEnd: uint16(len(method)),
		targetEnd: uint16(len(method) + 1 + len(target)),
		pathOff:   uint16(pathOff),
		pathEnd:   uint16(pathOff + len(path)),
	}
	b = appendMeta(b, m, remote, strings.EqualFold(header.Get("X-Forwarded-Proto"), "https"))
	return &Request{all: string(b)}, nil
}

// cutScheme returns s after "http://" or "https://".
func cutScheme(s string) (string, bool) {
	if rest, ok := strings.CutPrefix(s, "http://"); ok {
		return rest, true
	}
	return strings.CutPrefix(s, "https://")
}

// Method returns the request method. Any goroutine.
func (r *Request) Method() string { return r.all[:r.meta().methodEnd] }

// URL returns the request target as sent: the path and query (absolute-form
// targets include scheme and host). Any goroutine.
func (r *Request) URL() string {
	m := r.meta()
	if m.targetEnd == 0 { // the zero Request
		return ""
	}
	if m.flags&metaTargetCoded != 0 {
		return commonTargets[r.all[m.methodEnd+1]]
	}
	return r.all[m.methodEnd+1 : m.targetEnd]
}

// Path returns the path of the request target, without the query. Any
// goroutine.
func (r *Request) Path() string {
	m := r.meta()
	if m.flags&metaTargetCoded != 0 {
		return r.URL()[m.pathOff:m.pathEnd]
	}
	return r.all[m.pathOff:m.pathEnd]
}

// RemoteAddr returns the peer's address. Any goroutine.
func (r *Request) RemoteAddr() netip.AddrPort {
	m := r.meta()
	end := len(r.all) - metaLen
	var a netip.Addr
	switch m.flags & metaAddrMask {
	case metaAddrV4:
		a = netip.AddrFrom4([4]byte([]byte(r.all[end-4 : end])))
	case metaAddrV6:
		a = netip.AddrFrom16([16]byte([]byte(r.all[end-16 : end])))
		if m.zoneLen > 0 {
			a = a.WithZone(r.all[end-16-int(m.zoneLen) : end-16])
		}
	}
	return netip.AddrPortFrom(a, m.port)
}

// Secure reports whether the request came through a proxy that terminated
// TLS (X-Forwarded-Proto: https); this server speaks plain TCP. Any
// goroutine.
func (r *Request) Secure() bool { return r.meta().flags&metaSecure != 0 }

// fields returns the header fields, encoded as appendField does.
func (r *Request) fields() string {
	m := r.meta()
	end := len(r.all) - metaLen - m.addrLen()
	if m.targetEnd == 0 { // the zero Request
		return ""
	}
	if m.pathOff >= m.targetEnd { // the path was appended after the fields
		end = int(m.pathOff)
	}
	return r.all[m.targetEnd:end]
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
	p.header = make(http.Header, countFields(fields))
	for rest := fields; rest != ""; {
		var k, v string
		k, v, rest = nextField(rest)
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
