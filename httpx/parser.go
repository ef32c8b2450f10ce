package httpx

import "bytes"

// state is the position of the parser inside the current request.
type state uint8

const (
	stStart     state = iota // before the request line (leading CRLFs are skipped)
	stHeaders                // inside the header section
	stBody                   // waiting for a Content-Length body
	stChunkSize              // expecting a chunk-size line
	stChunkData              // waiting for chunk data plus its CRLF
	stTrailers               // inside the trailer section of a chunked body
	stDone                   // a request was returned; the next Parse starts afresh
	stError                  // sticky failure until Reset
)

// span is a half-open byte range [off, end) of the caller's buffer. The
// parser keeps offsets, never slices, across calls because the buffer may
// move in memory between calls (only its content prefix is stable).
type span struct{ off, end int }

func (s span) of(buf []byte) []byte { return buf[s.off:s.end:s.end] }

type hdrSpan struct{ key, val span }

// maxChunkLine bounds a chunk-size line (with extensions) like net/http.
const maxChunkLine = 4096

// maxChunkExcess bounds the non-data overhead of a chunked body (extensions,
// tiny chunks), the same heuristic net/http uses against slow-drip abuse.
const maxChunkExcess = 16 << 10

// keepBodyCap is the largest de-chunk buffer kept between requests; a
// bigger one is dropped so an idle keep-alive connection does not pin it.
const keepBodyCap = 64 << 10

// Parser is a resumable, zero-copy HTTP/1.x request parser.
//
// Feed it with Parse as bytes arrive (see Parse for the buffer contract).
// The zero value is ready to use with default Limits. A Parser is not safe
// for concurrent use: it belongs to the event-loop goroutine that owns the
// connection. It may be pooled: call Reset before reuse.
type Parser struct {
	// Limits may be changed between requests; zero fields take defaults.
	Limits Limits

	lim   Limits
	state state
	err   *Error
	req   Request

	inProgress bool
	continued  bool // NeedContinue already reported true for this request

	lineStart int // offset of the current (incomplete) line
	scan      int // offset from which to resume the search for '\n'

	// request line and header fields, as offsets
	method, target, path, query span
	hasQuery                    bool
	minor                       int
	hdrs                        []hdrSpan
	headerEnd                   int

	// framing facts gathered while reading fields
	contentLength       int64
	clCount, teCount    int
	hostCount           int
	teChunked           bool
	connClose, connKeep bool
	expectContinue      bool

	// chunked body state
	body         []byte // de-chunked body, parser-owned and reused
	chunkSize    int
	dataStart    int
	excess       int64
	trailerStart int
	trailerCount int

	work int // bytes examined; tests use it to prove linear scanning
}

// Request returns the request completed by the last successful Parse.
// Its views are valid until the next Parse or Reset.
func (p *Parser) Request() *Request { return &p.req }

// InProgress reports whether bytes of an unfinished request have been seen:
// the connection layer arms its 408 (ErrRequestTimeout) timer while true.
func (p *Parser) InProgress() bool { return p.inProgress }

// NeedContinue reports, at most once per request, that the header section
// of an HTTP/1.1 request with "Expect: 100-continue" is complete and its
// body is still awaited: the caller should now write
// AppendContinue(dst) so the client starts sending the body.
func (p *Parser) NeedContinue() bool {
	if !p.expectContinue || p.continued || p.minor != 1 {
		return false
	}
	switch p.state {
	case stBody, stChunkSize, stChunkData, stTrailers:
		p.continued = true
		return true
	}
	return false
}

// Reset discards any partial request and error; the next Parse starts a
// new request at buf[0]. Internal buffers are kept for reuse.
func (p *Parser) Reset() {
	hdrs, headers, body := p.hdrs[:0], p.req.Headers[:0], p.body[:0]
	if cap(body) > keepBodyCap {
		body = nil
	}
	*p = Parser{Limits: p.Limits, hdrs: hdrs, body: body}
	p.req.Headers = headers
}

// Parse parses the request at the start of buf.
//
// buf must hold all unconsumed bytes of the connection, starting at the first
// byte of the current request. Between calls it may grow and move in memory,
// but its prefix must be the same bytes. Parse resumes where the previous call
// stopped, so feeding a request one byte at a time costs linear time.
//
// Results:
//   - (n > 0, nil): a complete request (header section and whole body) is
//     available from Request. The caller handles it, discards n bytes, and
//     calls Parse with the rest (pipelined requests may follow).
//   - (0, nil): more bytes are needed.
//   - (0, err): err is an *Error with the status to answer; the framing is
//     lost, so the caller replies and closes. The error is sticky until Reset.
func (p *Parser) Parse(buf []byte) (consumed int, err error) {
	switch p.state {
	case stDone:
		p.Reset()
	case stError:
		return 0, p.err
	}
	if p.state == stStart && p.scan == 0 {
		p.lim = p.Limits.withDefaults()
	}
	n, e := p.run(buf)
	if e != nil {
		p.state, p.err, p.inProgress = stError, e, false
		return 0, e
	}
	p.inProgress = n == 0 && len(buf) > 0
	return n, nil
}

// run advances the state machine as far as buf allows.
func (p *Parser) run(buf []byte) (int, *Error) {
	for {
		switch p.state {
		case stStart, stHeaders, stChunkSize, stTrailers:
			s, e, ok, err := p.nextLine(buf)
			if err != nil {
				return 0, err
			}
			if !ok {
				return 0, p.checkPending(buf)
			}
			if done, err := p.onLine(buf, s, e); err != nil || done {
				if err != nil {
					return 0, err
				}
				return p.finish(buf), nil
			}
		case stBody:
			end := p.headerEnd + int(p.contentLength)
			if len(buf) < end {
				return 0, nil
			}
			p.req.Body = buf[p.headerEnd:end:end]
			p.lineStart = end
			return p.finish(buf), nil
		case stChunkData:
			if ok, err := p.chunkData(buf); !ok || err != nil {
				return 0, err
			}
		default:
			return 0, ErrBadRequest // unreachable: Parse handles stDone/stError
		}
	}
}

// nextLine finds the next complete CRLF-terminated line from p.lineStart and
// returns its content range [s, e) without the CRLF. A bare LF is an error:
// see doc.go for why CRLF is required.
func (p *Parser) nextLine(buf []byte) (s, e int, ok bool, err *Error) {
	if p.scan >= len(buf) {
		return 0, 0, false, nil
	}
	p.work += len(buf) - p.scan
	i := bytes.IndexByte(buf[p.scan:], '\n')
	if i < 0 {
		p.scan = len(buf)
		return 0, 0, false, nil
	}
	lf := p.scan + i
	// Apply the limits a split feed would have applied while this line was
	// still incomplete, so the result never depends on how bytes arrived.
	if err := p.checkPending(buf[:lf]); err != nil {
		return 0, 0, false, err
	}
	if lf == p.lineStart || buf[lf-1] != '\r' {
		return 0, 0, false, ErrBareLF
	}
	s, e = p.lineStart, lf-1
	p.lineStart, p.scan = lf+1, lf+1
	return s, e, true, nil
}

// checkPending applies size limits to a line that is still incomplete, so a
// peer cannot make us wait (and buffer) forever for a line end.
func (p *Parser) checkPending(buf []byte) *Error {
	switch p.state {
	case stStart, stHeaders:
		if len(buf) > p.lim.MaxHeaderBytes {
			return ErrHeaderTooLarge
		}
	case stChunkSize:
		if len(buf)-p.lineStart > maxChunkLine {
			return ErrBadChunk
		}
	case stTrailers:
		if len(buf)-p.trailerStart > p.lim.MaxHeaderBytes {
			return ErrHeaderTooLarge
		}
	}
	return nil
}

// onLine dispatches one complete line; done reports the end of the request.
func (p *Parser) onLine(buf []byte, s, e int) (done bool, err *Error) {
	switch p.state {
	case stStart:
		if p.lineStart > p.lim.MaxHeaderBytes {
			return false, ErrHeaderTooLarge
		}
		if s == e {
			return false, nil // RFC 9112 §2.2: ignore empty lines before the request line
		}
		p.state = stHeaders
		return false, p.parseRequestLine(buf, s, e)
	case stHeaders:
		if p.lineStart > p.lim.MaxHeaderBytes {
			return false, ErrHeaderTooLarge
		}
		if s == e {
			p.headerEnd = p.lineStart
			return p.endHeaders()
		}
		return false, p.parseHeaderLine(buf, s, e)
	case stChunkSize:
		return false, p.chunkSizeLine(buf, s, e)
	default: // stTrailers
		return p.trailerLine(buf, s, e)
	}
}

// finish materializes the request views from offsets and returns the number
// of bytes the request occupied (p.lineStart is just past its last byte).
func (p *Parser) finish(buf []byte) int {
	r := &p.req
	r.Method = p.method.of(buf)
	r.Target = p.target.of(buf)
	r.Path = p.path.of(buf)
	r.RawQuery = nil
	if p.hasQuery {
		r.RawQuery = p.query.of(buf)
	}
	r.Minor = p.minor
	r.Headers = r.Headers[:0]
	for _, h := range p.hdrs {
		r.Headers = append(r.Headers, Header{Key: h.key.of(buf), Value: h.val.of(buf)})
	}
	r.ContentLength = -1
	if p.clCount > 0 {
		r.ContentLength = p.contentLength
	}
	r.Chunked = p.teCount > 0
	if r.Chunked && len(p.body) > 0 {
		r.Body = p.body[:len(p.body):len(p.body)]
	}
	if p.minor == 1 {
		r.KeepAlive = !p.connClose
	} else {
		r.KeepAlive = p.connKeep && !p.connClose
	}
	p.state, p.inProgress = stDone, false
	return p.lineStart
}
