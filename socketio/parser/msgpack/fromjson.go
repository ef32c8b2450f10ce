package msgpack

import (
	"bytes"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/vmihailenco/msgpack/v5"
)

// writer converts JSON text to msgpack with the library's Encoder, which
// writes into b through the Write methods below.
type writer struct {
	b    []byte
	str  []byte   // an unescaped string, consumed at once by the Encoder
	atts [][]byte // the values placeholders refer to
	enc  *msgpack.Encoder
}

func newWriter() *writer {
	w := &writer{}
	w.enc = msgpack.NewEncoder(w)
	return w
}

// Write appends p (io.Writer for the Encoder).
func (w *writer) Write(p []byte) (int, error) {
	w.b = append(w.b, p...)
	return len(p), nil
}

// WriteByte appends c (io.ByteWriter for the Encoder).
func (w *writer) WriteByte(c byte) error {
	w.b = append(w.b, c)
	return nil
}

var placeholderPrefix = []byte(`{"_placeholder":true,"num":`)

// value converts the JSON value at j[i:] (after optional white space) and
// returns the index after it.
func (w *writer) value(j []byte, i, depth int) (int, error) {
	if depth > maxDepth {
		return i, ErrTooDeep
	}
	i = skipWS(j, i)
	if i >= len(j) {
		return i, ErrInvalidJSON
	}
	switch c := j[i]; {
	case c == '{':
		if next, ok := w.placeholder(j, i); ok {
			return next, nil
		}
		return w.container(j, i, depth, true)
	case c == '[':
		return w.container(j, i, depth, false)
	case c == '"':
		s, next, err := w.string(j, i)
		if err == nil {
			err = w.enc.EncodeString(view(s))
		}
		return next, err
	case c == 't' && bytes.HasPrefix(j[i:], []byte("true")):
		return i + 4, w.enc.EncodeBool(true)
	case c == 'f' && bytes.HasPrefix(j[i:], []byte("false")):
		return i + 5, w.enc.EncodeBool(false)
	case c == 'n' && bytes.HasPrefix(j[i:], []byte("null")):
		return i + 4, w.enc.EncodeNil()
	case c == '-' || isDigit(c):
		return w.number(j, i)
	}
	return i, ErrInvalidJSON
}

// placeholder writes the attachment a canonical placeholder
// ({"_placeholder":true,"num":N}, the form every encoder here writes)
// refers to as a bin value. An object that merely looks like one (N out of
// range) is left to be written as a map.
func (w *writer) placeholder(j []byte, i int) (int, bool) {
	if !bytes.HasPrefix(j[i:], placeholderPrefix) {
		return i, false
	}
	k := i + len(placeholderPrefix)
	n := 0
	for ; k < len(j) && isDigit(j[k]) && n <= len(w.atts); k++ {
		n = n*10 + int(j[k]-'0')
	}
	if k >= len(j) || j[k] != '}' || !isDigit(j[k-1]) || n >= len(w.atts) {
		return i, false
	}
	_ = w.enc.EncodeBytes(w.atts[n])
	return k + 1, true
}

// container converts an array or an object. The element count is known only
// at the end, so the elements are written after room for the longest header
// (5 bytes), then moved against the actual one.
func (w *writer) container(j []byte, i, depth int, isMap bool) (int, error) {
	closer := byte(']')
	if isMap {
		closer = '}'
	}
	mark := len(w.b)
	w.b = append(w.b, 0, 0, 0, 0, 0)
	n := 0
	i = skipWS(j, i+1)
	if i < len(j) && j[i] == closer {
		i++
	} else {
		for {
			var err error
			if isMap {
				i, err = w.member(j, i, depth)
			} else {
				i, err = w.value(j, i, depth+1)
			}
			if err != nil {
				return i, err
			}
			n++
			i = skipWS(j, i)
			if i < len(j) && j[i] == ',' {
				i++
				continue
			}
			if i < len(j) && j[i] == closer {
				i++
				break
			}
			return i, ErrInvalidJSON
		}
	}
	w.header(mark, n, isMap)
	return i, nil
}

// member converts one `"key":value` of an object.
func (w *writer) member(j []byte, i, depth int) (int, error) {
	i = skipWS(j, i)
	if i >= len(j) || j[i] != '"' {
		return i, ErrInvalidJSON
	}
	key, i, err := w.string(j, i)
	if err != nil {
		return i, err
	}
	_ = w.enc.EncodeString(view(key))
	i = skipWS(j, i)
	if i >= len(j) || j[i] != ':' {
		return i, ErrInvalidJSON
	}
	return w.value(j, i+1, depth+1)
}

// header writes the container header for n elements at mark, where 5 bytes
// were reserved, and moves the elements up against it.
func (w *writer) header(mark, n int, isMap bool) {
	end := len(w.b)
	if isMap {
		_ = w.enc.EncodeMapLen(n)
	} else {
		_ = w.enc.EncodeArrayLen(n)
	}
	var h [5]byte
	k := copy(h[:], w.b[end:])
	copy(w.b[mark+k:], w.b[mark+5:end])
	copy(w.b[mark:], h[:k])
	w.b = w.b[:end-5+k]
}

// number converts a JSON number: integers (also integral values written
// with a fraction or exponent, as notepack encodes every integral number)
// in the smallest integer form, others as float 64.
func (w *writer) number(j []byte, i int) (int, error) {
	end, integer := scanNumber(j, i)
	if end < 0 {
		return i, ErrInvalidJSON
	}
	s := view(j[i:end])
	if integer {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return end, w.enc.EncodeInt(n)
		}
		if u, err := strconv.ParseUint(s, 10, 64); err == nil {
			return end, w.enc.EncodeUint(u)
		}
	}
	// The grammar is checked: the only possible error is a range error,
	// which gives ±Inf or 0 as JSON.parse does.
	f, _ := strconv.ParseFloat(s, 64)
	if f > -1<<63 && f < 1<<63 && f == float64(int64(f)) {
		return end, w.enc.EncodeInt(int64(f))
	}
	return end, w.enc.EncodeFloat64(f)
}

// scanNumber checks the JSON number grammar from j[i] and returns its end
// (-1 when malformed) and whether it has neither fraction nor exponent.
func scanNumber(j []byte, i int) (end int, integer bool) {
	if i < len(j) && j[i] == '-' {
		i++
	}
	switch {
	case i < len(j) && j[i] == '0':
		i++
	case i < len(j) && isDigit(j[i]):
		i = digits(j, i)
	default:
		return -1, false
	}
	integer = true
	if i < len(j) && j[i] == '.' {
		k := digits(j, i+1)
		if k == i+1 {
			return -1, false
		}
		i, integer = k, false
	}
	if i < len(j) && (j[i] == 'e' || j[i] == 'E') {
		i++
		if i < len(j) && (j[i] == '+' || j[i] == '-') {
			i++
		}
		k := digits(j, i)
		if k == i {
			return -1, false
		}
		i, integer = k, false
	}
	return i, integer
}

func digits(j []byte, i int) int {
	for i < len(j) && isDigit(j[i]) {
		i++
	}
	return i
}

// string returns the unescaped content of the JSON string at j[i] (a slice
// of j when it has no escape, else w.str) and the index after it.
func (w *writer) string(j []byte, i int) ([]byte, int, error) {
	start := i + 1
	for k := start; k < len(j); k++ {
		switch c := j[k]; {
		case c == '"':
			return j[start:k], k + 1, nil
		case c == '\\':
			return w.unescape(j, start, k)
		case c < 0x20:
			return nil, k, ErrInvalidJSON
		}
	}
	return nil, len(j), ErrInvalidJSON
}

// unescape decodes the string from j[start], whose first escape is at j[k].
func (w *writer) unescape(j []byte, start, k int) ([]byte, int, error) {
	s := append(w.str[:0], j[start:k]...)
	for k < len(j) {
		c := j[k]
		switch {
		case c == '"':
			w.str = s
			return s, k + 1, nil
		case c < 0x20:
			return nil, k, ErrInvalidJSON
		case c != '\\':
			s = append(s, c)
			k++
			continue
		}
		if k+1 >= len(j) {
			break
		}
		switch e := j[k+1]; e {
		case '"', '\\', '/':
			s = append(s, e)
		case 'b':
			s = append(s, '\b')
		case 'f':
			s = append(s, '\f')
		case 'n':
			s = append(s, '\n')
		case 'r':
			s = append(s, '\r')
		case 't':
			s = append(s, '\t')
		case 'u':
			r, next, ok := unicodeEscape(j, k)
			if !ok {
				return nil, k, ErrInvalidJSON
			}
			s = utf8.AppendRune(s, r)
			k = next
			continue
		default:
			return nil, k, ErrInvalidJSON
		}
		k += 2
	}
	return nil, len(j), ErrInvalidJSON
}

// unicodeEscape decodes \uXXXX at j[k] (a surrogate pair when one follows;
// a lone surrogate becomes U+FFFD) and returns the index after it.
func unicodeEscape(j []byte, k int) (rune, int, bool) {
	r, ok := hex4(j, k+2)
	if !ok {
		return 0, k, false
	}
	k += 6
	if utf16.IsSurrogate(r) {
		if k+1 < len(j) && j[k] == '\\' && j[k+1] == 'u' {
			if r2, ok := hex4(j, k+2); ok {
				if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
					return dec, k + 6, true
				}
			}
		}
		return utf8.RuneError, k, true
	}
	return r, k, true
}

func hex4(j []byte, i int) (rune, bool) {
	if i+4 > len(j) {
		return 0, false
	}
	var r rune
	for _, c := range j[i : i+4] {
		switch {
		case isDigit(c):
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}

func skipWS(j []byte, i int) int {
	for i < len(j) && (j[i] == ' ' || j[i] == '\t' || j[i] == '\n' || j[i] == '\r') {
		i++
	}
	return i
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
