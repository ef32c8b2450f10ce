package socketio

import (
	"bytes"
	"encoding/json"
	"strconv"
	"sync"

	"github.com/sio-fast/sio-fast/internal/jsonx"
	"github.com/sio-fast/sio-fast/socketio/parser"
)

// Args are the arguments of an incoming event or ack, kept as raw JSON
// elements (never decoded unless asked) plus the binary attachments.
//
// Lifetime: the Args given to a handler or ack callback alias the engine's
// read buffer and are valid only until that function returns; call Clone to
// keep them. In HandlerAsync mode the Args are already a private copy, but
// the rule stays the same so code works in both modes. Args are read-only
// and may be read from any goroutine while valid.
type Args struct {
	elems [][]byte
	atts  [][]byte
}

// Len returns the number of arguments.
func (a Args) Len() int { return len(a.elems) }

// Raw returns the raw JSON of argument i (placeholders in place for binary
// values), nil when i is out of range.
func (a Args) Raw(i int) json.RawMessage {
	if i < 0 || i >= len(a.elems) {
		return nil
	}
	return a.elems[i]
}

// String returns argument i and true when it is a JSON string, "" and
// false otherwise. Strings without escapes are converted without decoding.
func (a Args) String(i int) (string, bool) {
	raw := a.Raw(i)
	if len(raw) < 2 || raw[0] != '"' {
		return "", false
	}
	if bytes.IndexByte(raw, '\\') < 0 {
		return string(raw[1 : len(raw)-1]), true
	}
	var s string
	if jsonx.Unmarshal(raw, &s) != nil {
		return "", false
	}
	return s, true
}

// Int returns argument i as an integer when it is a JSON integer.
func (a Args) Int(i int) (int64, bool) {
	raw := a.Raw(i)
	n, err := strconv.ParseInt(string(raw), 10, 64)
	return n, err == nil
}

// Decode unmarshals argument i into v with jsonx. Binary placeholders are not
// replaced: use Bytes or Value for binary arguments.
func (a Args) Decode(i int, v any) error {
	raw := a.Raw(i)
	if raw == nil {
		return ErrBadArgument
	}
	return jsonx.Unmarshal(raw, v)
}

// Bytes returns the attachment when argument i is a binary placeholder
// ({"_placeholder":true,"num":N}), nil otherwise. The slice is the
// attachment itself (owned by the packet; it may be kept).
func (a Args) Bytes(i int) []byte {
	n, ok := placeholderNum(a.Raw(i))
	if !ok || n >= len(a.atts) {
		return nil
	}
	return a.atts[n]
}

// Attachments returns the binary attachments of the packet, in order.
func (a Args) Attachments() [][]byte { return a.atts }

// Value decodes argument i into a generic tree (map[string]any, []any,
// string, bool, nil, json.Number) with binary placeholders at any depth
// replaced by their []byte attachment.
func (a Args) Value(i int) (any, error) {
	raw := a.Raw(i)
	if raw == nil {
		return nil, ErrBadArgument
	}
	return parser.Reconstruct(raw, a.atts)
}

// Clone returns a copy of a that does not alias any buffer, for keeping
// arguments after the handler returns. One allocation for the JSON text and
// one for the element table.
func (a Args) Clone() Args {
	n := 0
	for _, e := range a.elems {
		n += len(e)
	}
	buf := make([]byte, 0, n)
	elems := make([][]byte, len(a.elems))
	for i, e := range a.elems {
		start := len(buf)
		buf = append(buf, e...)
		elems[i] = buf[start:len(buf):len(buf)]
	}
	return Args{elems: elems, atts: a.atts}
}

// AppendJSON appends the arguments as a JSON array (placeholders in place).
func (a Args) AppendJSON(dst []byte) []byte {
	dst = append(dst, '[')
	for i, e := range a.elems {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, e...)
	}
	return append(dst, ']')
}

// NewArgs builds Args from raw JSON values and attachments; for tests and
// adapters. The slices are kept, not copied.
func NewArgs(atts [][]byte, elems ...json.RawMessage) Args {
	e := make([][]byte, len(elems))
	for i, x := range elems {
		e[i] = x
	}
	return Args{elems: e, atts: atts}
}

// splitArgs fills dst with the elements of the argument list args (the
// interior of the event or ack array) and returns it.
// argTables lends the tables splitArgs fills: an event's arguments are
// needed only until its handler returns, so a connection need not keep a
// table of its own (24 bytes per idle connection, more once used).
var argTables = sync.Pool{New: func() any { t := make([][]byte, 0, 8); return &t }}

// maxPooledArgs bounds the tables kept for reuse: one event with thousands
// of arguments must not pin its table for good.
const maxPooledArgs = 64

func getArgTable() *[][]byte { return argTables.Get().(*[][]byte) }

// putArgTable gives t back, without references into the message it held.
func putArgTable(t *[][]byte) {
	if cap(*t) > maxPooledArgs {
		return
	}
	clear(*t)
	*t = (*t)[:0]
	argTables.Put(t)
}

func splitArgs(dst [][]byte, args []byte) ([][]byte, error) {
	dst = dst[:0]
	err := parser.ForEachArg(args, func(raw []byte) error {
		dst = append(dst, raw)
		return nil
	})
	return dst, err
}

var placeholderPrefix = []byte(`{"_placeholder":true,"num":`)

// placeholderNum recognises a binary placeholder: the canonical form
// (Node's and ours) without decoding, other key orders through jsonx.
func placeholderNum(raw []byte) (int, bool) {
	if len(raw) < 2 || raw[0] != '{' {
		return 0, false
	}
	if rest, ok := bytes.CutPrefix(raw, placeholderPrefix); ok && len(rest) > 1 && rest[len(rest)-1] == '}' {
		n, err := strconv.Atoi(string(rest[:len(rest)-1]))
		return n, err == nil && n >= 0
	}
	if !bytes.Contains(raw, []byte(`_placeholder`)) {
		return 0, false
	}
	var p struct {
		P   bool `json:"_placeholder"`
		Num *int `json:"num"`
	}
	if jsonx.Unmarshal(raw, &p) != nil || !p.P || p.Num == nil || *p.Num < 0 {
		return 0, false
	}
	return *p.Num, true
}
