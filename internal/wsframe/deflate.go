package wsframe

import (
	"compress/flate"
	"io"
	"sync"

	"github.com/gobwas/ws"
)

// permessage-deflate (RFC 7692) without context takeover: every message is
// compressed and inflated on its own, so the flate writers and readers are
// pooled and shared by all connections instead of costing each connection
// a compressor (~700 KiB in compress/flate) and a 32 KiB window.

// maxPooledSink bounds the output buffer a pooled compressor keeps, so one
// huge message does not pin its memory forever.
const maxPooledSink = 256 << 10

// inflateTail ends every message given to the flate reader: the 0x00 0x00
// 0xff 0xff that the sender stripped (RFC 7692 7.2.2), then an empty final
// stored block, so that a complete message reads to io.EOF and a truncated
// one fails with io.ErrUnexpectedEOF.
var inflateTail = [...]byte{0x00, 0x00, 0xff, 0xff, 0x01, 0x00, 0x00, 0xff, 0xff}

// compressor is a pooled flate writer with its output buffer.
type compressor struct {
	fw  *flate.Writer
	out []byte
}

// Write collects the flate writer's output.
func (c *compressor) Write(p []byte) (int, error) {
	c.out = append(c.out, p...)
	return len(p), nil
}

// compressors holds one pool per level, flate.HuffmanOnly (-2) to
// flate.BestCompression (9), indexed by level+2.
var compressors [12]sync.Pool

// validLevel maps level to a compress/flate level, DefaultCompression when
// it is out of range.
func validLevel(level int) int {
	if level < flate.HuffmanOnly || level > flate.BestCompression {
		return flate.DefaultCompression
	}
	return level
}

func getCompressor(level int) *compressor {
	if c, ok := compressors[level+2].Get().(*compressor); ok {
		return c
	}
	c := &compressor{}
	c.fw, _ = flate.NewWriter(c, level) // level is valid: no error
	return c
}

func putCompressor(level int, c *compressor) {
	if cap(c.out) > maxPooledSink {
		c.out = nil
	}
	compressors[level+2].Put(c)
}

// AppendDeflateFrame appends one unmasked FIN frame with opcode op (text or
// binary) whose message is prefix followed by payload (prefix may be nil: it
// spares callers a copy when a message starts with a type byte), compressed
// as a permessage-deflate message with RSV1 set. level is a compress/flate
// level (out-of-range values mean flate.DefaultCompression).
//
// Every message is compressed from a fresh state (no context takeover), so
// the frame is plain bytes that any number of connections that negotiated
// permessage-deflate may receive. When compression would not make the
// message smaller, a plain frame (RSV1 clear) is appended instead, which
// RFC 7692 allows per message. Safe from any goroutine.
func AppendDeflateFrame(dst []byte, op ws.OpCode, level int, prefix, payload []byte) []byte {
	level = validLevel(level)
	c := getCompressor(level)
	defer putCompressor(level, c)
	c.out = c.out[:0]
	c.fw.Reset(c)
	_, _ = c.fw.Write(prefix) // writes to c cannot fail
	_, _ = c.fw.Write(payload)
	_ = c.fw.Flush()
	// A sync flush ends with 0x00 0x00 0xff 0xff, removed on the wire
	// (RFC 7692 7.2.1).
	out := c.out
	if n := len(out); n >= 4 && out[n-4] == 0 && out[n-3] == 0 && out[n-2] == 0xff && out[n-1] == 0xff {
		out = out[:n-4]
	}
	if plain := len(prefix) + len(payload); len(out) >= plain {
		dst = AppendHeader(dst, op, true, plain)
		dst = append(dst, prefix...)
		return append(dst, payload...)
	}
	at := len(dst)
	dst = AppendHeader(dst, op, true, len(out))
	dst[at] |= 0x40 // RSV1: "Per-Message Compressed"
	return append(dst, out...)
}

// tailReader reads a message's deflate data followed by inflateTail. It is
// an io.ByteReader so that the flate reader does not wrap it in a
// bufio.Reader (an allocation per message).
type tailReader struct {
	p    []byte
	tail int // bytes of inflateTail already read
}

func (r *tailReader) Read(b []byte) (int, error) {
	if len(r.p) > 0 {
		n := copy(b, r.p)
		r.p = r.p[n:]
		return n, nil
	}
	if r.tail == len(inflateTail) {
		return 0, io.EOF
	}
	n := copy(b, inflateTail[r.tail:])
	r.tail += n
	return n, nil
}

func (r *tailReader) ReadByte() (byte, error) {
	if len(r.p) > 0 {
		c := r.p[0]
		r.p = r.p[1:]
		return c, nil
	}
	if r.tail == len(inflateTail) {
		return 0, io.EOF
	}
	r.tail++
	return inflateTail[r.tail-1], nil
}

// inflater is a pooled flate reader with its source.
type inflater struct {
	src tailReader
	fr  io.ReadCloser
}

var inflaters = sync.Pool{New: func() any {
	in := &inflater{}
	in.fr = flate.NewReader(&in.src)
	return in
}}

// Inflate appends the inflated form of a permessage-deflate message p (the
// Payload of a Compressed Message, possibly reassembled from fragments) to
// dst. The output is capped at maxSize bytes (DefaultMaxMessage when not positive): dst grows only as output is
// actually produced and never beyond the cap, so a small "zip bomb" fails
// with ErrTooBig (close 1009) having cost at most maxSize bytes. Data that is
// not valid deflate fails with ErrInflate (1007). Text must be validated
// as UTF-8 by the caller afterwards. Safe from any goroutine.
func Inflate(dst, p []byte, maxSize int64) ([]byte, error) {
	if maxSize <= 0 {
		maxSize = DefaultMaxMessage
	}
	limit := len(dst) + int(min(maxSize, int64(1<<62)))
	in := inflaters.Get().(*inflater)
	defer inflaters.Put(in)
	in.src = tailReader{p: p}
	if err := in.fr.(flate.Resetter).Reset(&in.src, nil); err != nil {
		return dst, ErrInflate
	}
	for {
		if len(dst) == cap(dst) {
			if len(dst) > limit {
				return dst, ErrTooBig
			}
			dst = growCapped(dst, len(p), limit+1)
		}
		n, err := in.fr.Read(dst[len(dst):cap(dst)])
		dst = dst[:len(dst)+n]
		switch {
		case len(dst) > limit:
			return dst, ErrTooBig
		case err == io.EOF:
			return dst, nil
		case err != nil:
			return dst, ErrInflate
		}
	}
}

// growCapped grows the full slice b, doubling (starting from a few times
// the compressed size) but never past capLimit.
func growCapped(b []byte, compressed, capLimit int) []byte {
	n := max(2*cap(b), 4*compressed, 512)
	n = min(n, capLimit)
	nb := make([]byte, len(b), n)
	copy(nb, b)
	return nb
}
