package msgpack

import (
	"bytes"
	"io"
	"math"
	"strconv"
	"time"
	"unsafe"

	"github.com/vmihailenco/msgpack/v5"
	"github.com/vmihailenco/msgpack/v5/msgpcode"

	"github.com/sio-fast/sio-fast/socketio/parser"
)

// maxDepth bounds the nesting of decoded values: a message made of nested
// one-element arrays must not recurse a million times (notepack would hit
// the JS stack limit and throw; we return ErrTooDeep).
const maxDepth = 500

// reader walks one msgpack message: the library's Decoder reads codes,
// lengths and numbers, while strings and binary values are sliced out of
// the message without copying (the Decoder reads r directly: bytes.Reader
// is an io.ByteScanner, so it buffers nothing).
type reader struct {
	msg  []byte
	r    bytes.Reader
	dec  *msgpack.Decoder
	json []byte // JSON text being built
	bins []span // binary values found, in order (placeholder numbers)
}

// span is a binary value's position in the message.
type span struct{ off, n int }

func newReader() reader { return reader{dec: msgpack.NewDecoder(nil)} }

func (d *reader) reset(msg []byte) {
	d.msg = msg
	d.r.Reset(msg)
	d.dec.Reset(&d.r)
}

func (d *reader) pos() int { return len(d.msg) - d.r.Len() }

// peek returns the next code without consuming it (read from the message
// directly: the Decoder's PeekCode costs two calls through its reader).
func (d *reader) peek() (byte, error) {
	p := d.pos()
	if p >= len(d.msg) {
		return 0, ErrMalformed
	}
	return d.msg[p], nil
}

// take consumes n raw bytes and returns them (aliasing the message).
func (d *reader) take(n int) ([]byte, error) {
	if n < 0 || n > d.r.Len() {
		return nil, ErrMalformed
	}
	p := d.pos()
	_, _ = d.r.Seek(int64(n), io.SeekCurrent)
	return d.msg[p : p+n : p+n], nil
}

// str consumes a str or bin value and returns its bytes.
func (d *reader) str() ([]byte, error) {
	n, err := d.dec.DecodeBytesLen()
	if err != nil {
		return nil, ErrMalformed
	}
	return d.take(n)
}

// isUndefined reports whether the next value is notepack 2.x's undefined
// (fixext 1 of type 0: d4 00 00).
func (d *reader) isUndefined() bool {
	p := d.pos()
	return len(d.msg)-p >= 3 && d.msg[p] == msgpcode.FixExt1 && d.msg[p+1] == 0
}

// value appends the JSON form of the next value (see the package doc for
// the mapping).
func (d *reader) value(depth int) error {
	if depth > maxDepth {
		return ErrTooDeep
	}
	c, err := d.peek()
	if err != nil {
		return err
	}
	switch {
	case msgpcode.IsString(c):
		b, err := d.str()
		if err != nil {
			return err
		}
		d.json = parser.AppendString(d.json, view(b))
		return nil
	case msgpcode.IsFixedArray(c) || c == msgpcode.Array16 || c == msgpcode.Array32:
		return d.array(depth)
	case msgpcode.IsFixedMap(c) || c == msgpcode.Map16 || c == msgpcode.Map32:
		return d.object(depth)
	case msgpcode.IsBin(c):
		b, err := d.str()
		if err != nil {
			return err
		}
		d.placeholder(b)
		return nil
	case msgpcode.IsExt(c):
		return d.ext(c)
	case c == msgpcode.Nil:
		_ = d.dec.DecodeNil()
		d.json = append(d.json, "null"...)
		return nil
	case c == msgpcode.True || c == msgpcode.False:
		v, _ := d.dec.DecodeBool()
		d.json = strconv.AppendBool(d.json, v)
		return nil
	}
	return d.number(c)
}

// number appends an integer or a float.
func (d *reader) number(c byte) error {
	switch {
	case msgpcode.IsFixedNum(c) || (c >= msgpcode.Int8 && c <= msgpcode.Int64) || (c >= msgpcode.Uint8 && c <= msgpcode.Uint32):
		n, err := d.dec.DecodeInt64()
		if err != nil {
			return ErrMalformed
		}
		d.json = strconv.AppendInt(d.json, n, 10)
	case c == msgpcode.Uint64:
		n, err := d.dec.DecodeUint64()
		if err != nil {
			return ErrMalformed
		}
		d.json = strconv.AppendUint(d.json, n, 10)
	case c == msgpcode.Float || c == msgpcode.Double:
		f, err := d.dec.DecodeFloat64()
		if err != nil {
			return ErrMalformed
		}
		d.json = appendFloat(d.json, f)
	default: // 0xc1, never used
		return ErrMalformed
	}
	return nil
}

func (d *reader) array(depth int) error {
	n, err := d.dec.DecodeArrayLen()
	if err != nil {
		return ErrMalformed
	}
	d.json = append(d.json, '[')
	for i := range n {
		if i > 0 {
			d.json = append(d.json, ',')
		}
		if err := d.value(depth + 1); err != nil {
			return err
		}
	}
	d.json = append(d.json, ']')
	return nil
}

func (d *reader) object(depth int) error {
	n, err := d.dec.DecodeMapLen()
	if err != nil {
		return ErrMalformed
	}
	d.json = append(d.json, '{')
	for i := range n {
		if i > 0 {
			d.json = append(d.json, ',')
		}
		if err := d.key(); err != nil {
			return err
		}
		d.json = append(d.json, ':')
		if err := d.value(depth + 1); err != nil {
			return err
		}
	}
	d.json = append(d.json, '}')
	return nil
}

// key appends a map key as a JSON string. JavaScript turns every key into
// a string: numbers, booleans and nil are written as String() would; keys
// that are containers, binary or extensions are rejected.
func (d *reader) key() error {
	c, err := d.peek()
	if err != nil {
		return err
	}
	if msgpcode.IsString(c) {
		b, err := d.str()
		if err != nil {
			return err
		}
		d.json = parser.AppendString(d.json, view(b))
		return nil
	}
	switch {
	case c == msgpcode.Nil, c == msgpcode.True, c == msgpcode.False, msgpcode.IsFixedNum(c),
		c >= msgpcode.Float && c <= msgpcode.Int64:
		d.json = append(d.json, '"')
		err = d.value(0)
		d.json = append(d.json, '"')
		return err
	}
	return ErrUnsupportedKey
}

// placeholder records a binary value and appends its placeholder.
func (d *reader) placeholder(b []byte) {
	d.json = append(d.json, `{"_placeholder":true,"num":`...)
	d.json = strconv.AppendInt(d.json, int64(len(d.bins)), 10)
	d.json = append(d.json, '}')
	d.bins = append(d.bins, span{off: d.pos() - len(b), n: len(b)}) // b was just consumed
}

// ext appends an extension value the way notepack 2.x decodes it:
// undefined (fixext 1, type 0) as null, a Date (fixext 8, type 0) and a
// msgpack timestamp (type -1) as the ISO string JSON.stringify writes, an
// ArrayBuffer (ext 8/16/32, type 0) as binary, and anything else as the
// pair [type, binary].
func (d *reader) ext(c byte) error {
	typ, n, err := d.dec.DecodeExtHeader()
	if err != nil {
		return ErrMalformed
	}
	b, err := d.take(n)
	if err != nil {
		return err
	}
	switch {
	case typ == 0 && c == msgpcode.FixExt1:
		d.json = append(d.json, "null"...)
	case typ == 0 && c == msgpcode.FixExt8:
		ms := int64(uint64(b[0])<<56 | uint64(b[1])<<48 | uint64(b[2])<<40 | uint64(b[3])<<32 |
			uint64(b[4])<<24 | uint64(b[5])<<16 | uint64(b[6])<<8 | uint64(b[7]))
		d.json = appendISODate(d.json, time.UnixMilli(ms))
	case typ == 0 && !msgpcode.IsFixedExt(c):
		d.placeholder(b)
	case typ == -1 && (n == 4 || n == 8 || n == 12):
		d.json = appendISODate(d.json, timestamp(b))
	default:
		d.json = strconv.AppendInt(append(d.json, '['), int64(typ), 10)
		d.json = append(d.json, ',')
		d.placeholder(b)
		d.json = append(d.json, ']')
	}
	return nil
}

// timestamp decodes the msgpack timestamp extension (32, 64 or 96 bits).
func timestamp(b []byte) time.Time {
	be := func(b []byte) (v uint64) {
		for _, x := range b {
			v = v<<8 | uint64(x)
		}
		return v
	}
	switch len(b) {
	case 4:
		return time.Unix(int64(be(b)), 0)
	case 8:
		v := be(b)
		return time.Unix(int64(v&(1<<34-1)), int64(v>>34))
	}
	return time.Unix(int64(be(b[4:])), int64(be(b[:4])))
}

// appendISODate writes t as Date.prototype.toJSON does (UTC, milliseconds,
// a six-digit signed year outside 0..9999).
func appendISODate(dst []byte, t time.Time) []byte {
	t = t.UTC()
	dst = append(dst, '"')
	if y := t.Year(); y < 0 || y > 9999 {
		sign := byte('+')
		if y < 0 {
			sign, y = '-', -y
		}
		dst = append(dst, sign)
		s := strconv.Itoa(y)
		for range 6 - len(s) {
			dst = append(dst, '0')
		}
		dst = append(dst, s...)
		dst = t.AppendFormat(dst, "-01-02T15:04:05.000Z")
	} else {
		dst = t.AppendFormat(dst, "2006-01-02T15:04:05.000Z")
	}
	return append(dst, '"')
}

// appendFloat writes f as JSON: null for NaN and infinities (as
// JSON.stringify does), integral values without a fraction, exponents only
// for very small or very large magnitudes (encoding/json's rule).
func appendFloat(dst []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(dst, "null"...)
	}
	if f == 0 {
		return append(dst, '0') // also -0, as JavaScript prints it
	}
	abs := math.Abs(f)
	if abs < 1e21 && abs >= 1e-6 {
		return strconv.AppendFloat(dst, f, 'f', -1, 64)
	}
	return strconv.AppendFloat(dst, f, 'e', -1, 64)
}

// view returns b as a string without copying; the string is used only
// while b is unchanged (it is consumed before the call returns).
func view(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }
