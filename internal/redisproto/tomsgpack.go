package redisproto

import "github.com/sio-fast/sio-fast/internal/msgpackx"

// AppendMsgpack transcodes one JSON value (socket.io's text form: binary
// values as {"_placeholder":true,"num":N} indexing atts) to MessagePack the
// way notepack.io encodes the equivalent JavaScript value
// (msgpackx.AppendJSON): integers in the smallest form, other numbers as
// float64, placeholders as bin, object keys in their order. Whitespace
// between tokens is allowed; anything after the value is an error.
func AppendMsgpack(dst, json []byte, atts [][]byte) ([]byte, error) {
	dst, err := msgpackx.AppendJSON(dst, json, atts, maxDepth)
	switch err {
	case nil:
		return dst, nil
	case msgpackx.ErrTooDeep:
		return dst, ErrTooDeep
	}
	return dst, ErrBadJSON
}
