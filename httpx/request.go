package httpx

// Limits bounds what a Parser accepts. A zero field means "use the default";
// the defaults match Engine.IO (maxHttpBufferSize 1e6) and common servers.
type Limits struct {
	// MaxHeaderBytes bounds the header section: request line, fields and
	// the blank line (and, separately, a chunked trailer section).
	// Default 8192; exceeding it fails with ErrHeaderTooLarge (431).
	MaxHeaderBytes int
	// MaxHeaderCount bounds the number of header fields (and trailer
	// fields). Default 100; exceeding it fails with ErrTooManyHeaders (431).
	MaxHeaderCount int
	// MaxBodyBytes bounds the body (after de-chunking). A Content-Length
	// over it fails with ErrBodyTooLarge (413) as soon as the header
	// section is complete, before any body byte is awaited. Default 1e6.
	MaxBodyBytes int64
}

// Default limits applied for zero Limits fields.
const (
	DefaultMaxHeaderBytes = 8192
	DefaultMaxHeaderCount = 100
	DefaultMaxBodyBytes   = 1_000_000
)

func (l Limits) withDefaults() Limits {
	if l.MaxHeaderBytes <= 0 {
		l.MaxHeaderBytes = DefaultMaxHeaderBytes
	}
	if l.MaxHeaderCount <= 0 {
		l.MaxHeaderCount = DefaultMaxHeaderCount
	}
	if l.MaxBodyBytes <= 0 {
		l.MaxBodyBytes = DefaultMaxBodyBytes
	}
	return l
}

// Header is one header field as received. Key keeps the client's spelling;
// Value has surrounding whitespace removed. Both are borrowed views.
type Header struct {
	Key, Value []byte
}

// Request is a parsed HTTP/1.x request.
//
// Every []byte field is a view into the buffer passed to Parser.Parse (or,
// for a chunked body, into a parser-owned buffer) and is valid only until
// the next call to Parse or Reset on the same Parser. Copy anything that
// must live longer. A Request belongs to its Parser's goroutine.
type Request struct {
	Method   []byte // e.g. "GET"
	Target   []byte // request-target exactly as sent
	Path     []byte // Target up to '?' (for absolute-form: the path component)
	RawQuery []byte // Target after the first '?', not unescaped; nil when absent
	Minor    int    // HTTP/1.<Minor>: 0 or 1

	// Headers lists every field in arrival order. The backing array is
	// reused between requests.
	Headers []Header

	// Body is the complete body (de-chunked when Chunked); nil when empty.
	Body []byte
	// ContentLength is the declared Content-Length, or -1 when absent
	// (always -1 for chunked requests; use len(Body)).
	ContentLength int64
	// Chunked reports Transfer-Encoding: chunked.
	Chunked bool
	// KeepAlive reports whether the connection may serve another request:
	// HTTP/1.1 unless "Connection: close"; HTTP/1.0 only with
	// "Connection: keep-alive" (and no "close").
	KeepAlive bool
}

// Header returns the value of the first field named name (ASCII
// case-insensitive), or nil if there is none. It does not allocate.
func (r *Request) Header(name string) []byte {
	for i := range r.Headers {
		if equalFold(r.Headers[i].Key, name) {
			return r.Headers[i].Value
		}
	}
	return nil
}

// HasToken reports whether any field named name carries token in its
// comma-separated list value, comparing case-insensitively, as needed for
// "Connection: keep-alive, Upgrade" or "Upgrade: websocket". It does not
// allocate.
func (r *Request) HasToken(name, token string) bool {
	for i := range r.Headers {
		if equalFold(r.Headers[i].Key, name) && hasToken(r.Headers[i].Value, token) {
			return true
		}
	}
	return false
}

// headerCount returns how many fields are named name.
func (r *Request) headerCount(name string) int {
	n := 0
	for i := range r.Headers {
		if equalFold(r.Headers[i].Key, name) {
			n++
		}
	}
	return n
}
