package redisproto

import (
	"encoding/binary"
	"errors"
	"math"
)

// Errors of the decoders. Every malformed input yields one of them, never a
// panic.
var (
	ErrTruncated = errors.New("redisproto: truncated message")
	ErrBadType   = errors.New("redisproto: unexpected type")
	ErrTooDeep   = errors.New("redisproto: nesting too deep")
	ErrBadJSON   = errors.New("redisproto: invalid JSON")
	ErrBadShape  = errors.New("redisproto: message of the wrong shape")
)

// maxDepth bounds the nesting of decoded values (stack use on hostile input).
const maxDepth = 256

// kind is the family of a MessagePack value.
type kind uint8

const (
	kindNil kind = iota
	kindBool
	kindInt   // signed
	kindUint  // unsigned
	kindFloat // float32 or float64
	kindStr
	kindBin
	kindArray
	kindMap
	kindExt
)

// reader walks a MessagePack buffer. Its slices alias the buffer.
type reader struct {
	b   []byte
	off int
}

func (r *reader) need(n int) ([]byte, error) {
	if n < 0 || len(r.b)-r.off < n {
		return nil, ErrTruncated
	}
	p := r.b[r.off : r.off+n]
	r.off += n
	return p, nil
}

func (r *reader) byte1() (byte, error) {
	p, err := r.need(1)
	if err != nil {
		return 0, err
	}
	return p[0], nil
}

func (r *reader) uintN(n int) (uint64, error) {
	p, err := r.need(n)
	if err != nil {
		return 0, err
	}
	switch n {
	case 1:
		return uint64(p[0]), nil
	case 2:
		return uint64(binary.BigEndian.Uint16(p)), nil
	case 4:
		return uint64(binary.BigEndian.Uint32(p)), nil
	}
	return binary.BigEndian.Uint64(p), nil
}

// value is one decoded MessagePack head: scalars are complete, containers
// give their length (the items follow), str/bin/ext their bytes.
type value struct {
	kind kind
	b    bool
	i    int64
	u    uint64
	f    float64
	n    int    // array/map length
	raw  []byte // str, bin and ext payload
	ext  int8
}

// next reads the head of the next value.
func (r *reader) next() (v value, err error) {
	c, err := r.byte1()
	if err != nil {
		return v, err
	}
	switch {
	case c <= 0x7f:
		return value{kind: kindUint, u: uint64(c)}, nil
	case c >= 0xe0:
		return value{kind: kindInt, i: int64(int8(c))}, nil
	case c >= 0xa0 && c <= 0xbf:
		return r.bytesOf(kindStr, int(c&0x1f))
	case c >= 0x90 && c <= 0x9f:
		return value{kind: kindArray, n: int(c & 0x0f)}, nil
	case c >= 0x80 && c <= 0x8f:
		return value{kind: kindMap, n: int(c & 0x0f)}, nil
	}
	switch c {
	case 0xc0:
		return value{kind: kindNil}, nil
	case 0xc2, 0xc3:
		return value{kind: kindBool, b: c == 0xc3}, nil
	case 0xc4, 0xc5, 0xc6:
		return r.sized(kindBin, 1<<(c-0xc4))
	case 0xd9, 0xda, 0xdb:
		return r.sized(kindStr, 1<<(c-0xd9))
	case 0xc7, 0xc8, 0xc9:
		n, err := r.uintN(1 << (c - 0xc7))
		if err != nil {
			return v, err
		}
		return r.extOf(int(min(n, math.MaxInt32)))
	case 0xd4, 0xd5, 0xd6, 0xd7, 0xd8:
		return r.extOf(1 << (c - 0xd4))
	case 0xca:
		u, err := r.uintN(4)
		return value{kind: kindFloat, f: float64(math.Float32frombits(uint32(u)))}, err
	case 0xcb:
		u, err := r.uintN(8)
		return value{kind: kindFloat, f: math.Float64frombits(u)}, err
	case 0xcc, 0xcd, 0xce, 0xcf:
		u, err := r.uintN(1 << (c - 0xcc))
		return value{kind: kindUint, u: u}, err
	case 0xd0, 0xd1, 0xd2, 0xd3:
		u, err := r.uintN(1 << (c - 0xd0))
		return value{kind: kindInt, i: signExtend(u, 1<<(c-0xd0))}, err
	case 0xdc, 0xdd:
		n, err := r.uintN(2 << (c - 0xdc))
		return value{kind: kindArray, n: r.boundedCount(n)}, err
	case 0xde, 0xdf:
		n, err := r.uintN(2 << (c - 0xde))
		return value{kind: kindMap, n: r.boundedCount(n)}, err
	}
	return v, ErrBadType // 0xc1, never used
}

// boundedCount caps a container's claimed length by the bytes left (each
// item takes at least one), so a hostile length cannot make a caller loop
// or allocate for nothing: the first missing item fails with ErrTruncated.
func (r *reader) boundedCount(n uint64) int {
	return int(min(n, uint64(len(r.b)-r.off)+1))
}

func signExtend(u uint64, size int) int64 {
	switch size {
	case 1:
		return int64(int8(u))
	case 2:
		return int64(int16(u))
	case 4:
		return int64(int32(u))
	}
	return int64(u)
}

func (r *reader) sized(k kind, lenBytes int) (value, error) {
	n, err := r.uintN(lenBytes)
	if err != nil {
		return value{}, err
	}
	return r.bytesOf(k, int(min(n, math.MaxInt32)))
}

func (r *reader) bytesOf(k kind, n int) (value, error) {
	p, err := r.need(n)
	return value{kind: k, raw: p}, err
}

func (r *reader) extOf(n int) (value, error) {
	t, err := r.byte1()
	if err != nil {
		return value{}, err
	}
	p, err := r.need(n)
	return value{kind: kindExt, ext: int8(t), raw: p}, err
}

// skip skips one whole value.
func (r *reader) skip(depth int) error {
	if depth > maxDepth {
		return ErrTooDeep
	}
	v, err := r.next()
	if err != nil {
		return err
	}
	n := v.n
	if v.kind == kindMap {
		n *= 2
	} else if v.kind != kindArray {
		return nil
	}
	for range n {
		if err := r.skip(depth + 1); err != nil {
			return err
		}
	}
	return nil
}

// rawValue returns the bytes of the next whole value.
func (r *reader) rawValue() ([]byte, error) {
	start := r.off
	if err := r.skip(0); err != nil {
		return nil, err
	}
	return r.b[start:r.off], nil
}

// str reads a string (or nil as "", ok false).
func (r *reader) str() (s []byte, ok bool, err error) {
	v, err := r.next()
	if err != nil {
		return nil, false, err
	}
	switch v.kind {
	case kindStr:
		return v.raw, true, nil
	case kindNil:
		return nil, false, nil
	}
	return nil, false, ErrBadType
}

// int reads an integer (a float with an integral value is accepted: JS
// numbers).
func (r *reader) int() (int64, error) {
	v, err := r.next()
	if err != nil {
		return 0, err
	}
	return v.asInt()
}

func (v value) asInt() (int64, error) {
	switch v.kind {
	case kindInt:
		return v.i, nil
	case kindUint:
		if v.u > math.MaxInt64 {
			return 0, ErrBadType
		}
		return int64(v.u), nil
	case kindFloat:
		if v.f == math.Trunc(v.f) && math.Abs(v.f) < 1<<53 {
			return int64(v.f), nil
		}
	}
	return 0, ErrBadType
}
