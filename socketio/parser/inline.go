package parser

import "encoding/base64"

// InlineAttachments appends the JSON value data to dst with every binary
// placeholder, at any depth and with keys in any order, replaced by its
// attachment as a base64 JSON string: the form in which encoding/json (and
// jsonx) decode bytes into a []byte field. That lets a typed decode fill
// []byte fields of structs, slices and maps from the attachments, the
// mirror of Deconstruct. Whitespace outside strings is dropped. A
// placeholder whose num is not an integer in range yields
// ErrInvalidPlaceholder; data that is not one JSON value yields
// ErrInvalidJSON. Safe from any goroutine.
func InlineAttachments(dst, data []byte, atts [][]byte) ([]byte, error) {
	start, end, err := trimValue(data)
	if err != nil {
		return dst, ErrInvalidJSON
	}
	n := len(dst)
	out, _, err := inlineValue(dst, data[:end], start, atts, 0)
	if err != nil {
		return dst[:n], err
	}
	return out, nil
}

// inlineValue copies the value at b[i] (validated) and returns the index
// past it.
func inlineValue(dst, b []byte, i int, atts [][]byte, depth int) ([]byte, int, error) {
	if depth > maxDepth {
		return dst, i, ErrInvalidJSON
	}
	switch b[i] {
	case '{':
		return inlineObject(dst, b, i, atts, depth)
	case '[':
		dst = append(dst, '[')
		i = skipWS(b, i+1)
		if b[i] == ']' {
			return append(dst, ']'), i + 1, nil
		}
		for {
			var err error
			if dst, i, err = inlineValue(dst, b, i, atts, depth+1); err != nil {
				return dst, i, err
			}
			i = skipWS(b, i)
			dst = append(dst, b[i])
			if b[i] == ']' {
				return dst, i + 1, nil
			}
			i = skipWS(b, i+1)
		}
	}
	end, err := skipValue(b, i, depth)
	return append(dst, b[i:end]...), end, err
}

// inlineObject copies an object, members first (placeholders inside are
// inlined too), then replaces the whole object by its attachment when it
// is a placeholder itself.
func inlineObject(dst, b []byte, i int, atts [][]byte, depth int) ([]byte, int, error) {
	start := len(dst)
	dst = append(dst, '{')
	isPH, num := false, []byte(nil)
	i = skipWS(b, i+1)
	if b[i] == '}' {
		return append(dst, '}'), i + 1, nil
	}
	for {
		kEnd, esc, err := skipString(b, i)
		if err != nil {
			return dst, i, err
		}
		key := b[i:kEnd]
		dst = append(append(dst, key...), ':')
		vStart := skipWS(b, skipWS(b, kEnd)+1) // past ':'
		var vEnd int
		if dst, vEnd, err = inlineValue(dst, b, vStart, atts, depth+1); err != nil {
			return dst, vEnd, err
		}
		switch keyName(key, esc) {
		case "_placeholder":
			isPH = string(b[vStart:vEnd]) == "true"
		case "num":
			num = b[vStart:vEnd]
		}
		i = skipWS(b, vEnd)
		dst = append(dst, b[i])
		if b[i] == '}' {
			i++
			break
		}
		i = skipWS(b, i+1)
	}
	if !isPH {
		return dst, i, nil
	}
	if !validNum(num, len(atts)) {
		return dst, i, ErrInvalidPlaceholder
	}
	idx, _ := numIndex(string(num), len(atts))
	dst = append(dst[:start], '"')
	dst = base64.StdEncoding.AppendEncode(dst, atts[idx])
	return append(dst, '"'), i, nil
}
