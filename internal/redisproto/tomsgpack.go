package redisproto

import (
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// AppendMsgpack transcodes one JSON value (socket.io's text form: binary
// values as {"_placeholder":true,"num":N} indexing atts) to MessagePack the
// way notepack.io encodes the equivalent JavaScript value: integers in the
// smallest form, other numbers as float64, placeholders as bin, object keys
// in their order. Whitespace between tokens is allowed; anything after the
// value is an error.
func AppendMsgpack(dst, json []byte, atts [][]byte) ([]byte, error) {
	s := jscanner{b: json, atts: atts}
	dst, err := s.value(dst, 0)
	if err != nil {
		return dst, err
	}
	if s.ws(); s.off != len(s.b) {
		return dst, ErrBadJSON
	}
	return dst, nil
}

type jscanner struct {
	b    []byte
	off  int
	atts [][]byte
}

func (s *jscanner) ws() {
	for s.off < len(s.b) {
		switch s.b[s.off] {
		case ' ', '\t', '\n', '\r':
			s.off++
		default:
			return
		}
	}
}

func (s *jscanner) value(dst []byte, depth int) ([]byte, error) {
	if depth > maxDepth {
		return dst, ErrTooDeep
	}
	s.ws()
	if s.off >= len(s.b) {
		return dst, ErrBadJSON
	}
	switch c := s.b[s.off]; {
	case c == '{':
		if b, ok := s.placeholder(); ok {
			return appendBin(dst, b), nil
		}
		return s.object(dst, depth)
	case c == '[':
		return s.array(dst, depth)
	case c == '"':
		return s.str(dst)
	case c == 't':
		return s.literal(dst, "true", 0xc3)
	case c == 'f':
		return s.literal(dst, "false", 0xc2)
	case c == 'n':
		return s.literal(dst, "null", 0xc0)
	case c == '-' || (c >= '0' && c <= '9'):
		return s.number(dst)
	}
	return dst, ErrBadJSON
}

func (s *jscanner) literal(dst []byte, word string, code byte) ([]byte, error) {
	if len(s.b)-s.off < len(word) || string(s.b[s.off:s.off+len(word)]) != word {
		return dst, ErrBadJSON
	}
	s.off += len(word)
	return append(dst, code), nil
}

// placeholder recognises the canonical placeholder at s.off and returns its
// attachment.
func (s *jscanner) placeholder() ([]byte, bool) {
	rest := s.b[s.off:]
	if len(rest) < len(placeholderPrefix)+2 || string(rest[:len(placeholderPrefix)]) != placeholderPrefix {
		return nil, false
	}
	i := len(placeholderPrefix)
	n := 0
	for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' && n < 1<<20 {
		n = n*10 + int(rest[i]-'0')
		i++
	}
	if i == len(placeholderPrefix) || i >= len(rest) || rest[i] != '}' || n >= len(s.atts) {
		return nil, false
	}
	s.off += i + 1
	return s.atts[n], true
}

// container writes items with a header reserved at its largest size, then
// moves them back once the count is known so the header is the smallest.
func (s *jscanner) container(dst []byte, depth int, isMap bool, close byte) ([]byte, error) {
	start := len(dst)
	dst = append(dst, 0, 0, 0, 0, 0)
	s.off++ // '[' or '{'
	n := 0
	for {
		s.ws()
		if s.off < len(s.b) && s.b[s.off] == close && n == 0 {
			s.off++
			break
		}
		var err error
		if isMap {
			s.ws()
			if s.off >= len(s.b) || s.b[s.off] != '"' {
				return dst, ErrBadJSON
			}
			if dst, err = s.str(dst); err != nil {
				return dst, err
			}
			if s.ws(); s.off >= len(s.b) || s.b[s.off] != ':' {
				return dst, ErrBadJSON
			}
			s.off++
		}
		if dst, err = s.value(dst, depth+1); err != nil {
			return dst, err
		}
		n++
		s.ws()
		if s.off >= len(s.b) {
			return dst, ErrBadJSON
		}
		c := s.b[s.off]
		s.off++
		if c == close {
			break
		}
		if c != ',' {
			return dst, ErrBadJSON
		}
	}
	var hdr [5]byte
	var h []byte
	if isMap {
		h = appendMapHeader(hdr[:0], n)
	} else {
		h = appendArrayHeader(hdr[:0], n)
	}
	body := start + 5
	copy(dst[start:], h)
	copy(dst[start+len(h):], dst[body:])
	return dst[:len(dst)-(5-len(h))], nil
}

func (s *jscanner) array(dst []byte, depth int) ([]byte, error) {
	return s.container(dst, depth, false, ']')
}

func (s *jscanner) object(dst []byte, depth int) ([]byte, error) {
	return s.container(dst, depth, true, '}')
}

// str writes the JSON string at s.off as a MessagePack str, unescaped.
func (s *jscanner) str(dst []byte) ([]byte, error) {
	s.off++ // opening quote
	start := s.off
	for s.off < len(s.b) {
		c := s.b[s.off]
		if c == '"' {
			raw := s.b[start:s.off]
			s.off++
			return appendStr(dst, unsafeString(raw)), nil
		}
		if c == '\\' {
			return s.escapedStr(dst, start)
		}
		if c < 0x20 {
			return dst, ErrBadJSON
		}
		s.off++
	}
	return dst, ErrBadJSON
}

// escapedStr decodes a string holding escapes into a scratch area after
// dst, then writes it with its header.
func (s *jscanner) escapedStr(dst []byte, start int) ([]byte, error) {
	s.off = start
	base := len(dst)
	buf := dst
	for s.off < len(s.b) {
		c := s.b[s.off]
		switch {
		case c == '"':
			s.off++
			str := append([]byte(nil), buf[base:]...)
			return append(appendStrHeader(dst, len(str)), str...), nil
		case c < 0x20:
			return dst, ErrBadJSON
		case c != '\\':
			buf = append(buf, c)
			s.off++
			continue
		}
		if s.off+1 >= len(s.b) {
			return dst, ErrBadJSON
		}
		e := s.b[s.off+1]
		s.off += 2
		switch e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, ok := s.hex4()
			if !ok {
				return dst, ErrBadJSON
			}
			if utf16.IsSurrogate(r) {
				r = s.lowSurrogate(r)
			}
			buf = utf8.AppendRune(buf, r)
		default:
			return dst, ErrBadJSON
		}
	}
	return dst, ErrBadJSON
}

func (s *jscanner) hex4() (rune, bool) {
	if len(s.b)-s.off < 4 {
		return 0, false
	}
	n, err := strconv.ParseUint(unsafeString(s.b[s.off:s.off+4]), 16, 32)
	if err != nil {
		return 0, false
	}
	s.off += 4
	return rune(n), true
}

// lowSurrogate completes a surrogate pair; a lone surrogate becomes U+FFFD
// (a JavaScript string may hold one, UTF-8 cannot).
func (s *jscanner) lowSurrogate(hi rune) rune {
	if len(s.b)-s.off >= 6 && s.b[s.off] == '\\' && s.b[s.off+1] == 'u' {
		save := s.off
		s.off += 2
		if lo, ok := s.hex4(); ok {
			if r := utf16.DecodeRune(hi, lo); r != utf8.RuneError {
				return r
			}
		}
		s.off = save
	}
	return utf8.RuneError
}

func (s *jscanner) number(dst []byte) ([]byte, error) {
	start := s.off
	integral := true
	for s.off < len(s.b) {
		c := s.b[s.off]
		if c >= '0' && c <= '9' || c == '-' {
			s.off++
			continue
		}
		if c == '.' || c == 'e' || c == 'E' || c == '+' {
			integral = false
			s.off++
			continue
		}
		break
	}
	text := unsafeString(s.b[start:s.off])
	if integral {
		if n, err := strconv.ParseInt(text, 10, 64); err == nil {
			return appendInt(dst, n), nil
		}
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); !ok || ne.Err != strconv.ErrRange {
			return dst, ErrBadJSON
		}
	}
	return appendNumber(dst, f), nil
}
