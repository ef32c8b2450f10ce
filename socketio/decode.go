package socketio

import (
	"bytes"
	"encoding/json"

	"github.com/sio-fast/sio-fast/internal/jsonx"
	"github.com/sio-fast/sio-fast/socketio/parser"
)

// Decode unmarshals argument i into v the way encoding/json would (struct
// tags, numbers into interface values as float64), with binary values
// mirrored from Emit: a placeholder at any depth fills a []byte field,
// slice element or map value with its attachment, and v of type *any gets
// the tree of Value with []byte for binary values. It returns
// ErrNoArgument when i is out of range and ErrArgsExpired when the Args
// expired. Without binary values it decodes the received text directly.
func (a Args) Decode(i int, v any) error {
	raw, atts, err := a.rawCopy(i)
	if err != nil {
		return err
	}
	if len(atts) == 0 || !bytes.Contains(raw, placeholderKey) {
		return jsonx.UnmarshalFloat(raw, v)
	}
	if p, ok := v.(*any); ok {
		tree, err := parser.Reconstruct(raw, atts)
		if err != nil {
			return err
		}
		*p = floatNumbers(tree)
		return nil
	}
	inlined, err := parser.InlineAttachments(nil, raw, atts)
	if err != nil {
		return err
	}
	return jsonx.UnmarshalFloat(inlined, v)
}

// rawCopy returns a copy of argument i's JSON and the attachments. The
// copy is made under the lease and decoded outside it: a long decode on
// another goroutine never holds up the loop at the handler's return, and
// user unmarshalers may use the Args themselves.
func (a Args) rawCopy(i int) ([]byte, [][]byte, error) {
	b, locked, err := a.acquire()
	defer b.release(locked)
	if err != nil {
		return nil, nil, err
	}
	raw := b.raw(i)
	if raw == nil {
		return nil, nil, ErrNoArgument
	}
	return bytes.Clone(raw), b.atts, nil
}

// floatNumbers turns the json.Number leaves of a Reconstruct tree into
// float64, the type encoding/json gives numbers in interface values.
func floatNumbers(v any) any {
	switch t := v.(type) {
	case json.Number:
		f, _ := t.Float64()
		return f
	case map[string]any:
		for k, e := range t {
			t[k] = floatNumbers(e)
		}
	case []any:
		for i, e := range t {
			t[i] = floatNumbers(e)
		}
	}
	return v
}
