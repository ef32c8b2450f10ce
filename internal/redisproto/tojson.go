package redisproto

import (
	"encoding/binary"
	"math"
	"strconv"
	"time"
	"unsafe"

	"github.com/sio-fast/sio-fast/socketio/parser"
)

// placeholderPrefix is the canonical binary placeholder written by
// socket.io-parser and by sio-fast: {"_placeholder":true,"num":N}.
const placeholderPrefix = `{"_placeholder":true,"num":`

// AppendJSON transcodes the MessagePack value at the start of src to JSON
// appended to dst. Binary values become placeholders numbered after the
// attachments already in atts, and are appended to atts (aliasing src).
// notepack.io's extensions are understood: fixext 0 "undefined" (d4 00 00)
// is null, Dates (ext 0 of 8 bytes, timestamp ext -1) become the ISO string
// JSON.stringify would write, ext 0 of other sizes (ArrayBuffer) is binary;
// any other extension becomes [type, <binary>] as notepack.io decodes it.
// It returns the bytes of src after the value.
func AppendJSON(dst []byte, atts [][]byte, src []byte) (json []byte, attachments [][]byte, rest []byte, err error) {
	r := reader{b: src}
	dst, atts, err = r.toJSON(dst, atts, 0)
	return dst, atts, src[r.off:], err
}

func (r *reader) toJSON(dst []byte, atts [][]byte, depth int) ([]byte, [][]byte, error) {
	if depth > maxDepth {
		return dst, atts, ErrTooDeep
	}
	v, err := r.next()
	if err != nil {
		return dst, atts, err
	}
	switch v.kind {
	case kindNil:
		return append(dst, "null"...), atts, nil
	case kindBool:
		return strconv.AppendBool(dst, v.b), atts, nil
	case kindInt:
		return strconv.AppendInt(dst, v.i, 10), atts, nil
	case kindUint:
		return strconv.AppendUint(dst, v.u, 10), atts, nil
	case kindFloat:
		return appendJSNumber(dst, v.f), atts, nil
	case kindStr:
		return parser.AppendString(dst, unsafeString(v.raw)), atts, nil
	case kindBin:
		return appendPlaceholder(dst, atts, v.raw)
	case kindExt:
		return appendExt(dst, atts, v)
	case kindArray:
		dst = append(dst, '[')
		for i := range v.n {
			if i > 0 {
				dst = append(dst, ',')
			}
			if dst, atts, err = r.toJSON(dst, atts, depth+1); err != nil {
				return dst, atts, err
			}
		}
		return append(dst, ']'), atts, nil
	}
	dst = append(dst, '{') // kindMap
	for i := range v.n {
		if i > 0 {
			dst = append(dst, ',')
		}
		if dst, err = r.keyJSON(dst); err != nil {
			return dst, atts, err
		}
		dst = append(dst, ':')
		if dst, atts, err = r.toJSON(dst, atts, depth+1); err != nil {
			return dst, atts, err
		}
	}
	return append(dst, '}'), atts, nil
}

// keyJSON writes a map key: a string as is, a number or boolean as the
// string JavaScript would make of it.
func (r *reader) keyJSON(dst []byte) ([]byte, error) {
	v, err := r.next()
	if err != nil {
		return dst, err
	}
	switch v.kind {
	case kindStr:
		return parser.AppendString(dst, unsafeString(v.raw)), nil
	case kindInt:
		return strconv.AppendQuote(dst, strconv.FormatInt(v.i, 10)), nil
	case kindUint:
		return strconv.AppendQuote(dst, strconv.FormatUint(v.u, 10)), nil
	case kindFloat:
		return strconv.AppendQuote(dst, string(appendJSNumber(nil, v.f))), nil
	case kindBool:
		return strconv.AppendQuote(dst, strconv.FormatBool(v.b)), nil
	case kindNil:
		return append(dst, `"null"`...), nil
	}
	return dst, ErrBadType
}

func appendPlaceholder(dst []byte, atts [][]byte, b []byte) ([]byte, [][]byte, error) {
	dst = append(dst, placeholderPrefix...)
	dst = strconv.AppendInt(dst, int64(len(atts)), 10)
	return append(dst, '}'), append(atts, b), nil
}

func appendExt(dst []byte, atts [][]byte, v value) ([]byte, [][]byte, error) {
	switch {
	case v.ext == 0 && len(v.raw) == 1:
		return append(dst, "null"...), atts, nil // notepack 2.x undefined
	case v.ext == 0 && len(v.raw) == 8:
		ms := int64(binary.BigEndian.Uint64(v.raw))
		return appendDate(dst, time.UnixMilli(ms)), atts, nil
	case v.ext == 0:
		return appendPlaceholder(dst, atts, v.raw) // notepack ArrayBuffer
	case v.ext == -1:
		if t, ok := timestampExt(v.raw); ok {
			return appendDate(dst, t), atts, nil
		}
		return dst, atts, ErrBadType
	}
	dst = strconv.AppendInt(append(dst, '['), int64(v.ext), 10)
	dst, atts, err := appendPlaceholder(append(dst, ','), atts, v.raw)
	return append(dst, ']'), atts, err
}

// timestampExt decodes the MessagePack timestamp extension (-1).
func timestampExt(b []byte) (time.Time, bool) {
	switch len(b) {
	case 4:
		return time.Unix(int64(binary.BigEndian.Uint32(b)), 0), true
	case 8:
		x := binary.BigEndian.Uint64(b)
		return time.Unix(int64(x&(1<<34-1)), int64(x>>34)), true
	case 12:
		ns := binary.BigEndian.Uint32(b)
		return time.Unix(int64(binary.BigEndian.Uint64(b[4:])), int64(ns)), true
	}
	return time.Time{}, false
}

// appendDate writes t as Date.prototype.toJSON does.
func appendDate(dst []byte, t time.Time) []byte {
	return t.UTC().AppendFormat(append(dst, '"'), "2006-01-02T15:04:05.000Z\"")
}

// appendJSNumber writes f as JSON: integral values without a fraction (as
// JavaScript prints them), NaN and infinities as null (JSON.stringify).
func appendJSNumber(dst []byte, f float64) []byte {
	switch {
	case math.IsNaN(f) || math.IsInf(f, 0):
		return append(dst, "null"...)
	case f == math.Trunc(f) && math.Abs(f) < 1e21:
		return strconv.AppendFloat(dst, f, 'f', -1, 64)
	}
	return strconv.AppendFloat(dst, f, 'g', -1, 64)
}

// unsafeString views b as a string for the duration of a call that does not
// keep it.
func unsafeString(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }
