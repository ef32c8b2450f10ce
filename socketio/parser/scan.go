package parser

// A minimal validating JSON scanner. It never builds values: it only finds where
// a value ends, checking the RFC 8259 grammar exactly as encoding/json.Valid
// does (including the 10000-level nesting limit), so the payload of every
// decoded packet is known to be JSON without a full decode.

const maxDepth = 10000 // encoding/json's maxNestingDepth

func isWS(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func skipWS(b []byte, i int) int {
	for i < len(b) && isWS(b[i]) {
		i++
	}
	return i
}

// skipValue returns the index just past the JSON value starting exactly at
// b[i]. depth is the nesting level of the enclosing container.
func skipValue(b []byte, i, depth int) (int, error) {
	if i >= len(b) {
		return i, ErrInvalidJSON
	}
	switch c := b[i]; {
	case c == '"':
		end, _, err := skipString(b, i)
		return end, err
	case c == '[':
		return skipContainer(b, i, depth+1, ']')
	case c == '{':
		return skipContainer(b, i, depth+1, '}')
	case c == 't':
		return skipLiteral(b, i, "true")
	case c == 'f':
		return skipLiteral(b, i, "false")
	case c == 'n':
		return skipLiteral(b, i, "null")
	case c == '-' || isDigit(c):
		return skipNumber(b, i)
	}
	return i, ErrInvalidJSON
}

func skipLiteral(b []byte, i int, lit string) (int, error) {
	if len(b)-i < len(lit) || string(b[i:i+len(lit)]) != lit {
		return i, ErrInvalidJSON
	}
	return i + len(lit), nil
}

// skipString validates the string starting at b[i] == '"'. esc reports whether
// it contains escape sequences (so its bytes are not its value).
func skipString(b []byte, i int) (end int, esc bool, err error) {
	for j := i + 1; j < len(b); {
		switch c := b[j]; {
		case c == '"':
			return j + 1, esc, nil
		case c == '\\':
			esc = true
			if j+1 >= len(b) {
				return j, esc, ErrInvalidJSON
			}
			switch b[j+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				j += 2
			case 'u':
				if len(b)-j < 6 || !isHex4(b[j+2:j+6]) {
					return j, esc, ErrInvalidJSON
				}
				j += 6
			default:
				return j, esc, ErrInvalidJSON
			}
		case c < 0x20:
			return j, esc, ErrInvalidJSON
		default:
			j++
		}
	}
	return len(b), esc, ErrInvalidJSON
}

func isHex4(h []byte) bool {
	for _, c := range h {
		if !isDigit(c) && (c|0x20 < 'a' || c|0x20 > 'f') {
			return false
		}
	}
	return true
}

// skipNumber validates -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?.
func skipNumber(b []byte, i int) (int, error) {
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && isDigit(b[i]):
		i = skipDigits(b, i)
	default:
		return i, ErrInvalidJSON
	}
	if i < len(b) && b[i] == '.' {
		j := skipDigits(b, i+1)
		if j == i+1 {
			return j, ErrInvalidJSON
		}
		i = j
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		j := skipDigits(b, i)
		if j == i {
			return j, ErrInvalidJSON
		}
		i = j
	}
	return i, nil
}

func skipDigits(b []byte, i int) int {
	for i < len(b) && isDigit(b[i]) {
		i++
	}
	return i
}

// skipContainer skips an array (close ']', elements are values) or an
// object (close '}', elements are members) starting at its opening byte.
func skipContainer(b []byte, i, depth int, close byte) (int, error) {
	if depth > maxDepth {
		return i, ErrInvalidJSON
	}
	i = skipWS(b, i+1)
	if i < len(b) && b[i] == close {
		return i + 1, nil
	}
	for {
		var err error
		if close == '}' {
			i, err = skipMember(b, i, depth)
		} else {
			i, err = skipValue(b, i, depth)
		}
		if err != nil {
			return i, err
		}
		i = skipWS(b, i)
		if i >= len(b) {
			return i, ErrInvalidJSON
		}
		switch b[i] {
		case ',':
			i = skipWS(b, i+1)
		case close:
			return i + 1, nil
		default:
			return i, ErrInvalidJSON
		}
	}
}

// skipMember skips `"key" : value` starting at the key's quote.
func skipMember(b []byte, i, depth int) (int, error) {
	if i >= len(b) || b[i] != '"' {
		return i, ErrInvalidJSON
	}
	i, _, err := skipString(b, i)
	if err != nil {
		return i, err
	}
	i = skipWS(b, i)
	if i >= len(b) || b[i] != ':' {
		return i, ErrInvalidJSON
	}
	return skipValue(b, skipWS(b, i+1), depth)
}

// validJSON reports whether b is exactly one JSON value with optional
// surrounding whitespace (the encoding/json.Valid contract).
func validJSON(b []byte) bool {
	_, _, err := trimValue(b)
	return err == nil
}

// trimValue validates that b holds one JSON value and returns its bounds
// without surrounding whitespace.
func trimValue(b []byte) (start, end int, err error) {
	start = skipWS(b, 0)
	end, err = skipValue(b, start, 0)
	if err != nil {
		return start, end, err
	}
	if skipWS(b, end) != len(b) {
		return start, end, ErrInvalidJSON
	}
	return start, end, nil
}
