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
// Lifetime: valid while the function they were given to runs, and after
// that only where the server kept them (unanswered ack, Socket.Go); any
// other later use fails with ErrArgsExpired, never with wrong bytes. The
// rule, for every method, is in the package documentation ("Argument
// lifetimes"). What the methods return is the caller's own.
//
// Passing arguments on: give the Args (all of them) or Args.Arg(i) (one)
// to Emit or an AckFunc; they are sent as received, binary attachments
// included, without a copy.
type Args struct {
	elems [][]byte
	atts  [][]byte
	lease *argLease // nil: the memory is the Args' own
	// tag packs the lease's generation the Args were lent under (high 40
	// bits), the index of elems[0] among the lent arguments (23 bits) and
	// whether elems are only some of them (a view, low bit). Args are
	// boxed whenever they are emitted: 64 bytes is a smaller size class
	// than separate fields would take.
	tag uint64
}

const (
	tagViewBit  = 1
	tagOffShift = 1
	tagOffBits  = 23
	tagGenShift = tagOffShift + tagOffBits
	maxGen      = 1<<(64-tagGenShift) - 1
)

func (a Args) gen() uint64  { return a.tag >> tagGenShift }
func (a Args) off() int     { return int(a.tag>>tagOffShift) & (1<<tagOffBits - 1) }
func (a Args) isView() bool { return a.tag&tagViewBit != 0 }

// Len returns the number of arguments. It reads only the Args value, so it
// works after the Args expired too.
func (a Args) Len() int { return len(a.elems) }

// Err returns ErrArgsExpired when a can no longer be read (see Args), nil
// otherwise.
func (a Args) Err() error {
	b, locked, err := a.acquire()
	b.release(locked)
	return err
}

// raw returns element i of a (already acquired), nil when out of range.
func (a Args) raw(i int) []byte {
	if i < 0 || i >= len(a.elems) {
		return nil
	}
	return a.elems[i]
}

// Raw returns a copy of the JSON text of argument i, nil when i is out of
// range or the Args expired. Binary values appear as their placeholders
// ({"_placeholder":true,"num":N}): to pass an argument on with its
// attachments, pass Arg(i) (or the Args) to Emit or an AckFunc instead.
func (a Args) Raw(i int) json.RawMessage {
	b, locked, err := a.acquire()
	defer b.release(locked)
	if err != nil {
		return nil
	}
	r := b.raw(i)
	if r == nil {
		return nil
	}
	return append(json.RawMessage(nil), r...)
}

// Arg returns argument i alone as Args (a view: no copy), which Emit and
// AckFunc send with its binary attachments; empty Args when i is out of
// range.
func (a Args) Arg(i int) Args {
	v := a
	v.tag |= tagViewBit
	off := a.off() + i
	if i < 0 || i >= len(a.elems) || off >= 1<<tagOffBits {
		v.elems = nil // (a packet cannot hold 2^23 arguments)
		return v
	}
	v.elems = a.elems[i : i+1 : i+1]
	v.tag = a.tag&^(1<<tagGenShift-1) | uint64(off)<<tagOffShift | tagViewBit
	return v
}

// String returns argument i and true when it is a JSON string, "" and
// false otherwise. Strings without escapes are converted without decoding.
func (a Args) String(i int) (string, bool) {
	b, locked, err := a.acquire()
	defer b.release(locked)
	if err != nil {
		return "", false
	}
	raw := b.raw(i)
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

// Int returns argument i and true when it is a JSON integer that fits an
// int64, 0 and false otherwise.
func (a Args) Int(i int) (int64, bool) {
	b, locked, err := a.acquire()
	defer b.release(locked)
	if err != nil {
		return 0, false
	}
	n, err := strconv.ParseInt(string(b.raw(i)), 10, 64)
	return n, err == nil
}

// Bytes returns the attachment when argument i is a binary placeholder
// ({"_placeholder":true,"num":N}), nil otherwise. The slice is the
// attachment itself (owned by the packet; it may be kept).
func (a Args) Bytes(i int) []byte {
	b, locked, err := a.acquire()
	defer b.release(locked)
	if err != nil {
		return nil
	}
	n, ok := placeholderNum(b.raw(i))
	if !ok || n >= len(b.atts) {
		return nil
	}
	return b.atts[n]
}

// Attachments returns the binary attachments of the packet, in order (for
// a view made by Arg, those of the whole packet); nil when expired.
func (a Args) Attachments() [][]byte {
	b, locked, err := a.acquire()
	b.release(locked)
	if err != nil {
		return nil
	}
	return b.atts
}

// Value decodes argument i into a generic tree (map[string]any, []any,
// string, bool, nil, json.Number) with binary placeholders at any depth
// replaced by their []byte attachment. Numbers stay json.Number so that
// they re-encode exactly; Decode gives float64 like encoding/json.
func (a Args) Value(i int) (any, error) {
	raw, atts, err := a.rawCopy(i)
	if err != nil {
		return nil, err
	}
	return parser.Reconstruct(raw, atts)
}

// Clone returns a copy of a that does not alias any buffer and never
// expires. One allocation for the JSON text and one for the element table
// (attachments are shared: they are never reused). Cloning expired Args
// returns them unchanged: Err still reports ErrArgsExpired.
func (a Args) Clone() Args {
	b, locked, err := a.acquire()
	defer b.release(locked)
	if err != nil {
		return a
	}
	return b.copyOut()
}

// copyOut copies a's elements (a acquired).
func (a Args) copyOut() Args {
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
	return Args{elems: elems, atts: a.atts, tag: a.tag & tagViewBit}
}

// AppendJSON appends the arguments as a JSON array (placeholders in place)
// to dst; with an error (ErrArgsExpired) dst is returned unchanged.
func (a Args) AppendJSON(dst []byte) ([]byte, error) {
	b, locked, err := a.acquire()
	defer b.release(locked)
	if err != nil {
		return dst, err
	}
	dst = append(dst, '[')
	for i, e := range b.elems {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, e...)
	}
	return append(dst, ']'), nil
}

// NewArgs builds Args from raw JSON values and attachments; for tests and
// adapters. The slices are kept, not copied: they must not change while
// the Args are used. Such Args never expire.
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

var (
	placeholderPrefix = []byte(`{"_placeholder":true,"num":`)
	placeholderKey    = []byte(`_placeholder`)
)

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
	if !bytes.Contains(raw, placeholderKey) {
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
