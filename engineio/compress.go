package engineio

import (
	"compress/gzip"
	"compress/zlib"
	"sync"
)

// HTTP compression of polling responses (Node's httpCompression): a GET
// answer at least Config.HTTPCompressionThreshold bytes long is gzip- or
// deflate-compressed when the request's Accept-Encoding allows it.

const (
	encodingGzip    = "gzip"
	encodingDeflate = "deflate"
)

// pickEncoding chooses gzip or deflate from an Accept-Encoding value as
// Node's accepts().encodings(["gzip","deflate"]) does: the highest q wins,
// gzip on a tie, "*" stands for codings not named, q=0 refuses. It returns
// "" when neither is acceptable. It does not allocate.
func pickEncoding(h []byte) string {
	qGzip, qDeflate, qStar := -1, -1, -1 // thousandths; -1: not named
	for len(h) > 0 {
		var item []byte
		item, h = cutByte(h, ',')
		name, params := cutByte(item, ';')
		q := parseQ(params)
		switch name = trimOWS(name); {
		case asciiEqualFold(name, encodingGzip), asciiEqualFold(name, "x-gzip"):
			qGzip = max(qGzip, q)
		case asciiEqualFold(name, encodingDeflate):
			qDeflate = max(qDeflate, q)
		case string(name) == "*":
			qStar = max(qStar, q)
		}
	}
	if qGzip < 0 {
		qGzip = qStar
	}
	if qDeflate < 0 {
		qDeflate = qStar
	}
	switch {
	case qGzip > 0 && qGzip >= qDeflate:
		return encodingGzip
	case qDeflate > 0:
		return encodingDeflate
	}
	return ""
}

// parseQ returns the q parameter of a list item's parameters in
// thousandths (1000 when absent; 0 when malformed, as refusing is safe).
func parseQ(params []byte) int {
	for len(params) > 0 {
		var p []byte
		p, params = cutByte(params, ';')
		k, v := cutByte(p, '=')
		if !asciiEqualFold(trimOWS(k), "q") {
			continue
		}
		v = trimOWS(v)
		if len(v) == 0 || v[0] < '0' || v[0] > '1' {
			return 0
		}
		q := int(v[0]-'0') * 1000
		if len(v) > 1 {
			if v[1] != '.' || len(v) > 5 {
				return 0
			}
			scale := 100
			for _, c := range v[2:] {
				if c < '0' || c > '9' {
					return 0
				}
				q += int(c-'0') * scale
				scale /= 10
			}
		}
		return min(q, 1000)
	}
	return 1000
}

func cutByte(b []byte, sep byte) (before, after []byte) {
	for i, c := range b {
		if c == sep {
			return b[:i], b[i+1:]
		}
	}
	return b, nil
}

func trimOWS(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t') {
		b = b[:len(b)-1]
	}
	return b
}

func asciiEqualFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range b {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != s[i] {
			return false
		}
	}
	return true
}

// sliceWriter is an io.Writer appending to a slice.
type sliceWriter struct{ b []byte }

func (w *sliceWriter) Write(p []byte) (int, error) {
	w.b = append(w.b, p...)
	return len(p), nil
}

// Compressors are large (hundreds of KB of state): reuse them.
var (
	gzipPool = sync.Pool{New: func() any { return gzip.NewWriter(nil) }}
	zlibPool = sync.Pool{New: func() any { return zlib.NewWriter(nil) }}
)

// compressBody returns body compressed with enc (gzip or deflate, i.e. the
// zlib format as Node's zlib.createDeflate). Safe from any goroutine.
func compressBody(enc string, body []byte) []byte {
	out := &sliceWriter{b: make([]byte, 0, len(body)/3+64)}
	if enc == encodingGzip {
		zw := gzipPool.Get().(*gzip.Writer)
		zw.Reset(out)
		_, _ = zw.Write(body) // writes to a slice cannot fail
		_ = zw.Close()
		zw.Reset(nil)
		gzipPool.Put(zw)
		return out.b
	}
	zw := zlibPool.Get().(*zlib.Writer)
	zw.Reset(out)
	_, _ = zw.Write(body)
	_ = zw.Close()
	zw.Reset(nil)
	zlibPool.Put(zw)
	return out.b
}

// NegotiateEncoding returns the content coding the engine would choose for
// a response to a request with this Accept-Encoding value: "gzip",
// "deflate" or "" (none acceptable), as Node's accepts().encodings. For
// handlers beside the engine (the Socket.IO client bundle). Any goroutine.
func NegotiateEncoding(acceptEncoding string) string {
	return pickEncoding([]byte(acceptEncoding))
}

// Compress returns body compressed with enc, "gzip" or "deflate" (the zlib
// format, as Node's zlib.createDeflate), the codings NegotiateEncoding
// chooses. Any goroutine.
func Compress(enc string, body []byte) []byte {
	return compressBody(enc, body)
}

// acceptedEncoding returns the coding a polling GET's answer may use, or ""
// when compression is off.
func (cs *connState) acceptedEncoding(v *reqView) string {
	if cs.srv.cfg.HTTPCompressionThreshold < 0 {
		return ""
	}
	return pickEncoding(v.r.Header("Accept-Encoding"))
}
