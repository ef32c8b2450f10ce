package httpx

import "bytes"

// Query returns the raw (not unescaped) value of the first query parameter
// whose raw name equals name, or nil if there is none. A parameter present
// without "=" yields an empty, non-nil slice. Names are compared byte for
// byte without unescaping: Engine.IO names (EIO, transport, sid, t) are
// plain ASCII. Pairs are separated by '&' only, as in net/url since Go 1.17.
// It does not allocate.
func (r *Request) Query(name string) []byte {
	for q := r.RawQuery; len(q) > 0; {
		var k, v []byte
		k, v, q = nextQueryPair(q)
		if string(k) == name {
			return v
		}
	}
	return nil
}

// QueryValues looks up several parameters in one pass over the query:
// vals[i] becomes what Query(names[i]) returns. A request's routing
// parameters are read this way rather than by one scan each. It panics
// if vals is shorter than names. It does not allocate.
func (r *Request) QueryValues(names []string, vals [][]byte) {
	vals = vals[:len(names)]
	clear(vals)
	left := len(names)
	for q := r.RawQuery; left > 0 && len(q) > 0; {
		var k, v []byte
		k, v, q = nextQueryPair(q)
		for i, name := range names {
			if vals[i] == nil && string(k) == name {
				vals[i] = v
				left--
			}
		}
	}
}

// nextQueryPair splits the first pair off q (non-empty): its name, its
// value (empty and non-nil without '='), and what follows its '&'.
func nextQueryPair(q []byte) (k, v, rest []byte) {
	pair := q
	if i := bytes.IndexByte(q, '&'); i >= 0 {
		pair, rest = q[:i], q[i+1:]
	}
	k, v = pair, pair[len(pair):]
	if j := bytes.IndexByte(pair, '='); j >= 0 {
		k, v = pair[:j], pair[j+1:]
	}
	return k, v, rest
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
