package parser

import (
	"encoding/json"
	"math"
	"strconv"

	"github.com/sio-fast/sio-fast/internal/jsonx"
)

// A placeholder is an object with "_placeholder":true and a "num" that indexes
// the attachments. Node accepts any truthy _placeholder; every real encoder
// writes true, and treating other values as plain objects keeps the rule exact
// and cheap. Key order and extra keys do not matter; for duplicate keys the
// last one wins, as with JSON.parse.

// checkPlaceholders verifies that every placeholder in the (already validated)
// JSON data has an integer num in [0, n).
func checkPlaceholders(data []byte, n int) error {
	if len(data) == 0 {
		return nil
	}
	_, err := walkPlaceholders(data, skipWS(data, 0), n)
	return err
}

// walkPlaceholders walks the value at b[i] and returns the index past it.
func walkPlaceholders(b []byte, i, n int) (int, error) {
	if i >= len(b) {
		return i, ErrInvalidJSON
	}
	switch b[i] {
	case '{':
		return walkObject(b, i, n)
	case '[':
		i = skipWS(b, i+1)
		if i < len(b) && b[i] == ']' {
			return i + 1, nil
		}
		for {
			var err error
			if i, err = walkPlaceholders(b, i, n); err != nil {
				return i, err
			}
			if i, err = nextItem(b, i, ']'); err != nil || b[i-1] == ']' {
				return i, err
			}
		}
	}
	return skipValue(b, i, 0) // scalar
}

// nextItem consumes the separator after a container item: it returns the start
// of the next item after ',' or the index past closer.
func nextItem(b []byte, i int, closer byte) (int, error) {
	i = skipWS(b, i)
	switch {
	case i >= len(b):
		return i, ErrInvalidJSON
	case b[i] == ',':
		return skipWS(b, i+1), nil
	case b[i] == closer:
		return i + 1, nil
	}
	return i, ErrInvalidJSON
}

func walkObject(b []byte, i, n int) (int, error) {
	isPH, num := false, []byte(nil)
	i = skipWS(b, i+1)
	if i < len(b) && b[i] == '}' {
		return i + 1, nil
	}
	for {
		if i >= len(b) || b[i] != '"' {
			return i, ErrInvalidJSON
		}
		kEnd, esc, err := skipString(b, i)
		if err != nil {
			return kEnd, err
		}
		key := b[i:kEnd]
		i = skipWS(b, kEnd)
		if i >= len(b) || b[i] != ':' {
			return i, ErrInvalidJSON
		}
		vStart := skipWS(b, i+1)
		if i, err = walkPlaceholders(b, vStart, n); err != nil {
			return i, err
		}
		switch keyName(key, esc) {
		case "_placeholder":
			isPH = string(b[vStart:i]) == "true"
		case "num":
			num = b[vStart:i]
		}
		if i, err = nextItem(b, i, '}'); err != nil {
			return i, err
		}
		if b[i-1] == '}' {
			break
		}
	}
	if isPH && !validNum(num, n) {
		return i, ErrInvalidPlaceholder
	}
	return i, nil
}

// keyName returns the key if it is one of the two placeholder keys, else "".
func keyName(quoted []byte, esc bool) string {
	raw := quoted[1 : len(quoted)-1]
	if esc {
		var s string
		if jsonx.Unmarshal(quoted, &s) != nil {
			return ""
		}
		raw = []byte(s)
	}
	switch string(raw) {
	case "_placeholder":
		return "_placeholder"
	case "num":
		return "num"
	}
	return ""
}

// validNum reports whether raw is a JSON number with an integral value in [0, n).
func validNum(raw []byte, n int) bool {
	if len(raw) == 0 || (raw[0] != '-' && !isDigit(raw[0])) {
		return false
	}
	_, ok := numIndex(string(raw), n)
	return ok
}

func numIndex(s string, n int) (int, bool) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != math.Trunc(f) || f < 0 || f >= float64(n) {
		return 0, false
	}
	return int(f), true
}

// Reconstruct decodes data into a generic tree (map[string]any, []any, string,
// bool, nil, json.Number) and replaces every placeholder, at any depth and with
// keys in any order, by the attachment it indexes (a []byte aliasing
// attachments). A placeholder whose num is not an integer in range yields
// ErrInvalidPlaceholder. Safe from any goroutine.
func Reconstruct(data []byte, attachments [][]byte) (any, error) {
	var v any
	if err := jsonx.Unmarshal(data, &v); err != nil {
		return nil, ErrInvalidJSON
	}
	return replacePlaceholders(v, attachments)
}

func replacePlaceholders(v any, atts [][]byte) (any, error) {
	switch t := v.(type) {
	case map[string]any:
		// Members first, even of a placeholder: every placeholder anywhere must
		// be valid, the same rule the Decoder's streaming check applies.
		for k, e := range t {
			r, err := replacePlaceholders(e, atts)
			if err != nil {
				return nil, err
			}
			t[k] = r
		}
		if ph, _ := t["_placeholder"].(bool); ph {
			num, _ := t["num"].(json.Number)
			idx, ok := numIndex(string(num), len(atts))
			if !ok {
				return nil, ErrInvalidPlaceholder
			}
			return atts[idx], nil
		}
	case []any:
		for i, e := range t {
			r, err := replacePlaceholders(e, atts)
			if err != nil {
				return nil, err
			}
			t[i] = r
		}
	}
	return v, nil
}
