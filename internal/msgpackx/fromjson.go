package msgpackx

import (
	"errors"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// Errors of AppendJSON (callers map them to their own package's errors).
var (
	ErrSyntax  = errors.New("msgpackx: invalid JSON")
	ErrTooDeep = errors.New("msgpackx: JSON nested too deeply")
)

// placeholderPrefix starts socket.io's canonical binary placeholder,
// {"_placeholder":true,"num":N}, the form every encoder here writes.
const placeholderPrefix = `{"_placeholder":true,"num":`

// AppendJSON appends the one JSON value of js (white space around it
// allowed, nothing else after it) as MessagePack, the way notepack.io
// encodes the value JSON.parse gives: integral numbers in the smallest
// integer form, other numbers as float 64, object keys in their order,
// strings unescaped (a lone surrogate becomes U+FFFD). A canonical
// placeholder whose N indexes atts becomes atts[N] as bin; any other
// object stays a map. Containers deeper than maxDepth are ErrTooDeep,
// anything else invalid ErrSyntax; dst is then returned with a partial
// value after it. It allocates only to grow dst.
func AppendJSON(dst, js []byte, atts [][]byte, maxDepth int) ([]byte, error) {
	s := scanner{js: js, atts: atts, maxDepth: maxDepth}
	dst, err := s.value(dst, 0)
	if err == nil && skipWS(js, s.i) != len(js) {
		err = ErrSyntax
	}
	return dst, err
}

type scanner struct {
	js       []byte
	i        int // next byte of js
	atts     [][]byte
	maxDepth int
}

func (s *scanner) value(dst []byte, depth int) ([]byte, error) {
	if depth > s.maxDepth {
		return dst, ErrTooDeep
	}
	s.i = skipWS(s.js, s.i)
	if s.i >= len(s.js) {
		return dst, ErrSyntax
	}
	switch c := s.js[s.i]; {
	case c == '{':
		if att, ok := s.placeholder(); ok {
			return AppendBin(dst, att), nil
		}
		return s.container(dst, depth, true)
	case c == '[':
		return s.container(dst, depth, false)
	case c == '"':
		return s.str(dst)
	case c == 't':
		return s.literal(dst, "true", 0xc3)
	case c == 'f':
		return s.literal(dst, "false", 0xc2)
	case c == 'n':
		return s.literal(dst, "null", 0xc0)
	case c == '-' || isDigit(c):
		return s.number(dst)
	}
	return dst, ErrSyntax
}

func (s *scanner) literal(dst []byte, word string, code byte) ([]byte, error) {
	if len(s.js)-s.i < len(word) || string(s.js[s.i:s.i+len(word)]) != word {
		return dst, ErrSyntax
	}
	s.i += len(word)
	return append(dst, code), nil
}

// placeholder recognises a canonical placeholder at s.i whose N indexes
// atts, and returns that attachment.
func (s *scanner) placeholder() ([]byte, bool) {
	rest := s.js[s.i:]
	if len(rest) < len(placeholderPrefix) || string(rest[:len(placeholderPrefix)]) != placeholderPrefix {
		return nil, false
	}
	k := len(placeholderPrefix)
	n := 0
	for ; k < len(rest) && isDigit(rest[k]) && n <= len(s.atts); k++ {
		n = n*10 + int(rest[k]-'0')
	}
	if k == len(placeholderPrefix) || k >= len(rest) || rest[k] != '}' || n >= len(s.atts) {
		return nil, false
	}
	if rest[len(placeholderPrefix)] == '0' && k > len(placeholderPrefix)+1 {
		return nil, false // a leading zero ("00"): not a JSON number, so left to the full scan, which refuses it
	}
	s.i += k + 1
	return s.atts[n], true
}

// container writes an array or an object. The element count is known
// only at the end, so the elements are written after room for the longest
// header (5 bytes), then moved against the actual one.
func (s *scanner) container(dst []byte, depth int, isMap bool) ([]byte, error) {
	closer := byte(']')
	if isMap {
		closer = '}'
	}
	mark := len(dst)
	dst = append(dst, 0, 0, 0, 0, 0)
	n := 0
	s.i = skipWS(s.js, s.i+1)
	if s.i < len(s.js) && s.js[s.i] == closer {
		s.i++
		return closeContainer(dst, mark, n, isMap), nil
	}
	for {
		var err error
		if isMap {
			dst, err = s.member(dst, depth)
		} else {
			dst, err = s.value(dst, depth+1)
		}
		if err != nil {
			return dst, err
		}
		n++
		s.i = skipWS(s.js, s.i)
		if s.i >= len(s.js) {
			return dst, ErrSyntax
		}
		c := s.js[s.i]
		s.i++
		if c == closer {
			return closeContainer(dst, mark, n, isMap), nil
		}
		if c != ',' {
			return dst, ErrSyntax
		}
	}
}

// member writes one `"key":value` of an object.
func (s *scanner) member(dst []byte, depth int) ([]byte, error) {
	s.i = skipWS(s.js, s.i)
	if s.i >= len(s.js) || s.js[s.i] != '"' {
		return dst, ErrSyntax
	}
	dst, err := s.str(dst)
	if err != nil {
		return dst, err
	}
	s.i = skipWS(s.js, s.i)
	if s.i >= len(s.js) || s.js[s.i] != ':' {
		return dst, ErrSyntax
	}
	s.i++
	return s.value(dst, depth+1)
}

// closeContainer writes the header for n elements at mark, where 5 bytes
// were reserved, and moves the elements up against it.
func closeContainer(dst []byte, mark, n int, isMap bool) []byte {
	var hdr [5]byte
	var h []byte
	if isMap {
		h = AppendMapHeader(hdr[:0], n)
	} else {
		h = AppendArrayHeader(hdr[:0], n)
	}
	return shiftOver(dst, mark, h)
}

// shiftOver puts h at mark, over the 5 bytes reserved there, with what
// follows them moved up against it.
func shiftOver(dst []byte, mark int, h []byte) []byte {
	k := copy(dst[mark:], h)
	copy(dst[mark+k:], dst[mark+5:])
	return dst[:len(dst)-5+k]
}

// str writes the JSON string at s.i as a str, unescaped.
func (s *scanner) str(dst []byte) ([]byte, error) {
	start := s.i + 1
	for k := start; k < len(s.js); k++ {
		switch c := s.js[k]; {
		case c == '"':
			s.i = k + 1
			return append(AppendStrHeader(dst, k-start), s.js[start:k]...), nil
		case c == '\\':
			return s.escapedStr(dst, start)
		case c < 0x20:
			return dst, ErrSyntax
		}
	}
	return dst, ErrSyntax
}

// escapedStr writes a string holding escapes: unescaped after room for
// the longest header, then moved against the actual one.
func (s *scanner) escapedStr(dst []byte, start int) ([]byte, error) {
	mark := len(dst)
	dst = append(dst, 0, 0, 0, 0, 0)
	k := start
	for k < len(s.js) {
		c := s.js[k]
		switch {
		case c == '"':
			s.i = k + 1
			var hdr [5]byte
			return shiftOver(dst, mark, AppendStrHeader(hdr[:0], len(dst)-mark-5)), nil
		case c < 0x20:
			return dst, ErrSyntax
		case c != '\\':
			dst = append(dst, c)
			k++
			continue
		}
		if k+1 >= len(s.js) {
			break
		}
		switch e := s.js[k+1]; e {
		case '"', '\\', '/':
			dst = append(dst, e)
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'u':
			r, next, ok := unicodeEscape(s.js, k)
			if !ok {
				return dst, ErrSyntax
			}
			dst = utf8.AppendRune(dst, r)
			k = next
			continue
		default:
			return dst, ErrSyntax
		}
		k += 2
	}
	return dst, ErrSyntax
}

// unicodeEscape decodes \uXXXX at js[k] (a surrogate pair when one
// follows; a lone surrogate becomes U+FFFD, which UTF-8 can hold) and
// returns the index after it.
func unicodeEscape(js []byte, k int) (rune, int, bool) {
	r, ok := hex4(js, k+2)
	if !ok {
		return 0, k, false
	}
	k += 6
	if utf16.IsSurrogate(r) {
		if k+1 < len(js) && js[k] == '\\' && js[k+1] == 'u' {
			if r2, ok := hex4(js, k+2); ok {
				if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
					return dec, k + 6, true
				}
			}
		}
		return utf8.RuneError, k, true
	}
	return r, k, true
}

func hex4(js []byte, i int) (rune, bool) {
	if i+4 > len(js) {
		return 0, false
	}
	var r rune
	for _, c := range js[i : i+4] {
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

// number writes a JSON number as notepack writes the double JSON.parse
// makes of it: integral values in the smallest integer form, others as
// float 64; beyond float 64's range, ±Inf as JSON.parse gives.
func (s *scanner) number(dst []byte) ([]byte, error) {
	end, integer := scanNumber(s.js, s.i)
	if end < 0 {
		return dst, ErrSyntax
	}
	text := unsafeString(s.js[s.i:end])
	s.i = end
	if integer {
		if n, err := strconv.ParseInt(text, 10, 64); err == nil {
			return AppendInt(dst, n), nil
		}
	}
	f, _ := strconv.ParseFloat(text, 64) // the grammar is checked: at worst a range error, ±Inf or 0
	return AppendNumber(dst, f), nil
}

// scanNumber checks the JSON number grammar from js[i] and returns its end
// (-1 when malformed) and whether it has neither fraction nor exponent.
func scanNumber(js []byte, i int) (end int, integer bool) {
	if i < len(js) && js[i] == '-' {
		i++
	}
	switch {
	case i < len(js) && js[i] == '0':
		i++
	case i < len(js) && isDigit(js[i]):
		i = digits(js, i)
	default:
		return -1, false
	}
	integer = true
	if i < len(js) && js[i] == '.' {
		k := digits(js, i+1)
		if k == i+1 {
			return -1, false
		}
		i, integer = k, false
	}
	if i < len(js) && (js[i] == 'e' || js[i] == 'E') {
		i++
		if i < len(js) && (js[i] == '+' || js[i] == '-') {
			i++
		}
		k := digits(js, i)
		if k == i {
			return -1, false
		}
		i, integer = k, false
	}
	return i, integer
}

func digits(js []byte, i int) int {
	for i < len(js) && isDigit(js[i]) {
		i++
	}
	return i
}

func skipWS(js []byte, i int) int {
	for i < len(js) && (js[i] == ' ' || js[i] == '\t' || js[i] == '\n' || js[i] == '\r') {
		i++
	}
	return i
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// unsafeString views b as a string for the strconv parsers, which do not
// keep it.
func unsafeString(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }
