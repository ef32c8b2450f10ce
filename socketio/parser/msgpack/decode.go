package msgpack

import (
	"math"

	"github.com/vmihailenco/msgpack/v5/msgpcode"

	"github.com/sio-fast/sio-fast/socketio/parser"
)

// maxRetained bounds the scratch memory a decoder keeps between messages.
const maxRetained = 64 << 10

// Decoder decodes socket.io-msgpack-parser packets, one binary Engine.IO
// message each, into parser.Packets whose Data is JSON (see the package
// doc). One goroutine at a time; the zero value is not usable, get one from
// Parser.NewDecoder.
type Decoder struct {
	intern func([]byte) string
	pkt    parser.Packet
	rd     reader
}

// dataKind is the shape of the packet's "data" value, for validation.
type dataKind uint8

const (
	dataAbsent dataKind = iota // no "data" key, or undefined
	dataMap
	dataArray
	dataString
	dataOther
)

// fields are what the top-level map said, validated once it is read whole
// (keys come in any order; a repeated key wins, as in JavaScript).
type fields struct {
	typ     int64 // -1: missing or not an integer
	nsp     []byte
	nspOK   bool
	id      int64 // -1: absent
	idBad   bool  // present but not an integer in 0..2^53-1
	data    dataKind
	name    []byte // the event name when data is an array starting with a string
	nameNum bool   // data is an array starting with a number
}

// Decode decodes one message. Text messages are rejected (the format is
// binary only). The packet is valid until the next Decode or Reset; its
// attachments are copies (one allocation for all of them).
func (d *Decoder) Decode(msg []byte, binary bool) (*parser.Packet, error) {
	if !binary {
		return nil, parser.ErrUnexpectedText
	}
	d.rd.reset(msg)
	d.rd.json, d.rd.bins = d.rd.json[:0], d.rd.bins[:0]
	f, err := d.readMap()
	if err == nil && d.rd.r.Len() != 0 {
		err = ErrTrailingBytes
	}
	if err == nil {
		err = f.check()
	}
	if err != nil {
		d.Reset()
		return nil, err
	}
	p := &d.pkt
	*p = parser.Packet{Type: parser.Type(f.typ), Namespace: d.namespace(f.nsp), ID: f.id}
	if f.data != dataAbsent {
		p.Data = d.rd.json
	}
	p.Attachments = d.attachments()
	return p, nil
}

// Reset drops the last packet and oversized scratch memory.
func (d *Decoder) Reset() {
	d.pkt = parser.Packet{}
	d.rd.msg = nil
	d.rd.r.Reset(nil)
	if cap(d.rd.json) > maxRetained {
		d.rd.json = nil
	}
	if cap(d.rd.bins) > maxRetained/16 {
		d.rd.bins = nil
	}
}

// readMap reads the packet map: type, nsp, data and id; other keys are
// skipped (converted, then dropped), as JavaScript ignores them.
func (d *Decoder) readMap() (fields, error) {
	f := fields{typ: -1, id: -1}
	c, err := d.rd.peek()
	if err != nil {
		return f, err
	}
	if !msgpcode.IsFixedMap(c) && c != msgpcode.Map16 && c != msgpcode.Map32 {
		return f, parser.ErrUnknownType
	}
	n, err := d.rd.dec.DecodeMapLen()
	if err != nil {
		return f, ErrMalformed
	}
	for range n {
		if err := d.field(&f); err != nil {
			return f, err
		}
	}
	return f, nil
}

// field reads one key and its value into f.
func (d *Decoder) field(f *fields) error {
	c, err := d.rd.peek()
	if err != nil {
		return err
	}
	var key []byte
	if msgpcode.IsString(c) {
		if key, err = d.rd.str(); err != nil {
			return err
		}
	} else if err := d.skip(); err != nil { // a key JavaScript would stringify: none we read
		return err
	}
	switch string(key) {
	case "type":
		f.typ, err = d.integer()
	case "nsp":
		f.nsp, f.nspOK, err = d.nsp()
	case "id":
		f.id, f.idBad, err = d.ackID()
	case "data":
		err = d.data(f)
	default:
		err = d.skip()
	}
	return err
}

// skip consumes one value, checking it like any other.
func (d *Decoder) skip() error {
	n, b := len(d.rd.json), len(d.rd.bins)
	err := d.rd.value(0)
	d.rd.json, d.rd.bins = d.rd.json[:n], d.rd.bins[:b]
	return err
}

// integer reads an integral number (a float with an integral value counts,
// as for Number.isInteger); -1 for anything else.
func (d *Decoder) integer() (int64, error) {
	c, err := d.rd.peek()
	if err != nil {
		return -1, err
	}
	switch {
	case msgpcode.IsFixedNum(c) || (c >= msgpcode.Uint8 && c <= msgpcode.Int64):
		if c == msgpcode.Uint64 {
			if _, err := d.rd.dec.DecodeUint64(); err != nil {
				return -1, ErrMalformed
			}
			return math.MaxInt64, nil // out of every range we accept
		}
		n, err := d.rd.dec.DecodeInt64()
		if err != nil {
			return -1, ErrMalformed
		}
		return n, nil
	case c == msgpcode.Float || c == msgpcode.Double:
		v, err := d.rd.dec.DecodeFloat64()
		if err != nil {
			return -1, ErrMalformed
		}
		if v != math.Trunc(v) || math.Abs(v) > 1<<62 {
			return -1, nil
		}
		return int64(v), nil
	}
	return -1, d.skip()
}

// nsp reads the namespace: a string, else not OK.
func (d *Decoder) nsp() ([]byte, bool, error) {
	c, err := d.rd.peek()
	if err != nil {
		return nil, false, err
	}
	if !msgpcode.IsString(c) {
		return nil, false, d.skip()
	}
	b, err := d.rd.str()
	return b, err == nil, err
}

// ackID reads the "id" value (undefined counts as absent) and reports
// whether it is unacceptable.
func (d *Decoder) ackID() (id int64, bad bool, err error) {
	if d.rd.isUndefined() {
		return -1, false, d.skip()
	}
	id, err = d.integer()
	if id < 0 || id > maxAckID {
		return -1, true, err
	}
	return id, false, err
}

// maxAckID is Number.MAX_SAFE_INTEGER, the default parser's limit too.
const maxAckID = 1<<53 - 1

// data converts the "data" value to JSON from the start of the buffer (a
// repeated key replaces the earlier value) and records its shape.
func (d *Decoder) data(f *fields) error {
	d.rd.json, d.rd.bins = d.rd.json[:0], d.rd.bins[:0]
	f.name, f.nameNum = nil, false
	c, err := d.rd.peek()
	if err != nil {
		return err
	}
	switch {
	case d.rd.isUndefined():
		f.data = dataAbsent
		return d.skip()
	case msgpcode.IsFixedMap(c) || c == msgpcode.Map16 || c == msgpcode.Map32:
		f.data = dataMap
	case msgpcode.IsString(c):
		f.data = dataString
	case msgpcode.IsFixedArray(c) || c == msgpcode.Array16 || c == msgpcode.Array32:
		f.data = dataArray
		return d.eventArray(f)
	default:
		f.data = dataOther
	}
	return d.rd.value(0)
}

// eventArray converts a top-level array, noting the kind of its first
// element (the event name of an EVENT).
func (d *Decoder) eventArray(f *fields) error {
	n, err := d.rd.dec.DecodeArrayLen()
	if err != nil {
		return ErrMalformed
	}
	d.rd.json = append(d.rd.json, '[')
	for i := range n {
		if i > 0 {
			d.rd.json = append(d.rd.json, ',')
		}
		if i == 0 {
			c, err := d.rd.peek()
			if err != nil {
				return err
			}
			switch {
			case msgpcode.IsString(c):
				if f.name, err = d.rd.str(); err != nil {
					return err
				}
				d.rd.json = parser.AppendString(d.rd.json, view(f.name))
				continue
			case msgpcode.IsFixedNum(c) || (c >= msgpcode.Float && c <= msgpcode.Int64):
				f.nameNum = true
			}
		}
		if err := d.rd.value(1); err != nil {
			return err
		}
	}
	d.rd.json = append(d.rd.json, ']')
	return nil
}

// check applies socket.io-msgpack-parser's checkPacket, plus the default
// parser's stricter rules for what the server would otherwise drop: an
// EVENT needs a name (string or number) that is not reserved, an ACK an id.
func (f *fields) check() error {
	if f.typ < int64(parser.Connect) || f.typ > int64(parser.ConnectError) {
		return parser.ErrUnknownType
	}
	if !f.nspOK {
		return ErrInvalidNamespace
	}
	if f.idBad {
		return parser.ErrInvalidAckID
	}
	ok := false
	switch parser.Type(f.typ) {
	case parser.Connect:
		ok = f.data == dataAbsent || f.data == dataMap
	case parser.Disconnect:
		ok = f.data == dataAbsent
	case parser.ConnectError:
		ok = f.data == dataString || f.data == dataMap
	case parser.Event:
		if f.name != nil && parser.IsReservedEventBytes(f.name) {
			return parser.ErrReservedEvent
		}
		ok = f.data == dataArray && (f.name != nil || f.nameNum)
	case parser.Ack:
		ok = f.data == dataArray && f.id >= 0
	}
	if !ok {
		return parser.ErrInvalidPayload
	}
	return nil
}

// namespace returns the namespace as a string: "/" without allocating,
// others through the intern hook.
func (d *Decoder) namespace(b []byte) string {
	if string(b) == parser.MainNamespace {
		return parser.MainNamespace
	}
	if d.intern != nil {
		return d.intern(b)
	}
	return string(b)
}

// attachments copies the binary values out of the message, into one block.
func (d *Decoder) attachments() [][]byte {
	if len(d.rd.bins) == 0 {
		return nil
	}
	total := 0
	for _, s := range d.rd.bins {
		total += s.n
	}
	block := make([]byte, total)
	atts := make([][]byte, len(d.rd.bins))
	at := 0
	for i, s := range d.rd.bins {
		atts[i] = block[at : at+s.n : at+s.n]
		copy(atts[i], d.rd.msg[s.off:s.off+s.n])
		at += s.n
	}
	return atts
}
