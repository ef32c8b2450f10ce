package httpx

// Query returns the raw (not unescaped) value of the first query parameter
// whose raw name equals name, or nil if there is none. A parameter present
// without "=" yields an empty, non-nil slice. Names are compared byte for
// byte without unescaping: Engine.IO names (EIO, transport, sid, t) are
// plain ASCII. Pairs are separated by '&' only, as in net/url since Go 1.17.
// It does not allocate.
func (r *Request) Query(name string) []byte {
	q := r.RawQuery
	for len(q) > 0 {
		i := 0
		for i < len(q) && q[i] != '&' {
			i++
		}
		pair := q[:i]
		k, v := pair, pair[len(pair):]
		for j := 0; j < len(pair); j++ {
			if pair[j] == '=' {
				k, v = pair[:j], pair[j+1:]
				break
			}
		}
		if string(k) == name {
			return v
		}
		if i == len(q) {
			break
		}
		q = q[i+1:]
	}
	return nil
}

// AppendQueryUnescaped appends the query-unescaped value of parameter name
// ('+' becomes a space, %XX is decoded) to dst. ok is false, and dst is
// returned unchanged, when the parameter is absent or has a malformed
// %-escape. It allocates only if dst must grow.
func (r *Request) AppendQueryUnescaped(dst []byte, name string) ([]byte, bool) {
	v := r.Query(name)
	if v == nil {
		return dst, false
	}
	n := len(dst)
	for i := 0; i < len(v); i++ {
		switch c := v[i]; c {
		case '+':
			dst = append(dst, ' ')
		case '%':
			if i+2 >= len(v) || byteClass[v[i+1]]&classHex == 0 || byteClass[v[i+2]]&classHex == 0 {
				return dst[:n], false
			}
			dst = append(dst, byte(hexVal(v[i+1])<<4|hexVal(v[i+2])))
			i += 2
		default:
			dst = append(dst, c)
		}
	}
	return dst, true
}
