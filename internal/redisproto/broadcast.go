package redisproto

import (
	"strconv"

	"github.com/sio-fast/sio-fast/internal/msgpackx"
)

// EmitterUID is the uid the emitter puts in its broadcasts (and in its
// server-side emits), like @socket.io/redis-emitter.
const EmitterUID = "emitter"

// packetTypeEvent is socket.io's EVENT type: broadcasts always carry it,
// binary or not (the receiving node's encoder decides).
const packetTypeEvent = 2

// Flags are the broadcast flags that travel on the wire.
type Flags struct {
	Volatile bool
	// Compress is nil when absent; Node sends false for compress(false).
	Compress *bool
	// Timeout is the ack timeout in milliseconds (0: absent).
	Timeout int64
}

// Opts select the recipients of a broadcast (Node's BroadcastOptions as
// serialised by the adapter).
type Opts struct {
	Rooms  []string
	Except []string
	Flags  Flags
}

// Broadcast is the message published on key#nsp# or key#nsp#room#:
// msgpack [uid, {type: 2, data: [event, ...args], nsp}, {rooms, except, flags}].
type Broadcast struct {
	UID string
	Nsp string
	// Data is the JSON array [event, ...args] with binary placeholders
	// indexing Attachments.
	Data        []byte
	Attachments [][]byte
	Opts        Opts
}

// KeyOrder chooses the key order of the opts map: the adapter writes rooms,
// except, flags; the emitter rooms, flags, except. Decoders do not care;
// the choice only makes the bytes identical to Node's.
type KeyOrder uint8

// Key orders of the opts map.
const (
	AdapterOrder KeyOrder = iota
	EmitterOrder
)

// AppendBroadcast appends the MessagePack of m.
func AppendBroadcast(dst []byte, m *Broadcast, order KeyOrder) ([]byte, error) {
	dst = msgpackx.AppendStr(append(dst, 0x93), m.UID)
	dst, err := appendPacket(dst, m.Nsp, m.Data, m.Attachments)
	if err != nil {
		return dst, err
	}
	return appendOpts(dst, &m.Opts, order), nil
}

// appendPacket writes {type: 2, data, nsp}.
func appendPacket(dst []byte, nsp string, data []byte, atts [][]byte) ([]byte, error) {
	dst = msgpackx.AppendStr(msgpackx.AppendMapHeader(dst, 3), "type")
	dst = msgpackx.AppendStr(msgpackx.AppendInt(dst, packetTypeEvent), "data")
	dst, err := AppendMsgpack(dst, data, atts)
	if err != nil {
		return dst, err
	}
	return msgpackx.AppendStr(msgpackx.AppendStr(dst, "nsp"), nsp), nil
}

func appendOpts(dst []byte, o *Opts, order KeyOrder) []byte {
	dst = appendStrArray(msgpackx.AppendStr(msgpackx.AppendMapHeader(dst, 3), "rooms"), o.Rooms)
	if order == EmitterOrder {
		dst = appendFlags(msgpackx.AppendStr(dst, "flags"), &o.Flags)
		return appendStrArray(msgpackx.AppendStr(dst, "except"), o.Except)
	}
	dst = appendStrArray(msgpackx.AppendStr(dst, "except"), o.Except)
	return appendFlags(msgpackx.AppendStr(dst, "flags"), &o.Flags)
}

func appendFlags(dst []byte, f *Flags) []byte {
	n := 0
	if f.Volatile {
		n++
	}
	if f.Compress != nil {
		n++
	}
	if f.Timeout > 0 {
		n++
	}
	dst = msgpackx.AppendMapHeader(dst, n)
	if f.Volatile {
		dst = msgpackx.AppendBool(msgpackx.AppendStr(dst, "volatile"), true)
	}
	if f.Compress != nil {
		dst = msgpackx.AppendBool(msgpackx.AppendStr(dst, "compress"), *f.Compress)
	}
	if f.Timeout > 0 {
		dst = msgpackx.AppendInt(msgpackx.AppendStr(dst, "timeout"), f.Timeout)
	}
	return dst
}

// DecodeBroadcast decodes a broadcast message into m. m.Data is appended to
// m.Data[:0] (reuse it between calls); m.Attachments alias src. A missing
// nsp is "/" (as Node reads it). Any other shape is an error.
func DecodeBroadcast(src []byte, m *Broadcast) error {
	r := reader{b: src}
	v, err := r.next()
	if err != nil {
		return err
	}
	if v.kind != kindArray || v.n != 3 {
		return ErrBadShape
	}
	uid, _, err := r.str()
	if err != nil {
		return err
	}
	m.UID = reuse(m.UID, uid)
	m.Data, m.Attachments = m.Data[:0], m.Attachments[:0]
	if err := r.decodePacket(m); err != nil {
		return err
	}
	prevRooms, prevExcept := m.Opts.Rooms, m.Opts.Except
	m.Opts = Opts{Rooms: prevRooms[:0], Except: prevExcept[:0]}
	if err := r.decodeOpts(&m.Opts, prevRooms, prevExcept); err != nil {
		return err
	}
	if r.off != len(src) {
		return ErrBadShape
	}
	return nil
}

func (r *reader) mapLen() (int, error) {
	v, err := r.next()
	if err != nil {
		return 0, err
	}
	if v.kind != kindMap {
		return 0, ErrBadShape
	}
	return v.n, nil
}

func (r *reader) decodePacket(m *Broadcast) error {
	n, err := r.mapLen()
	if err != nil {
		return err
	}
	hasData, hasNsp := false, false
	for range n {
		key, _, err := r.str()
		if err != nil {
			return err
		}
		switch string(key) {
		case "type":
			t, err := r.int()
			if err != nil {
				return err
			}
			if t != packetTypeEvent && t != 5 { // EVENT or BINARY_EVENT
				return ErrBadShape
			}
		case "data":
			start := r.off
			if v, err := r.next(); err != nil || v.kind != kindArray || v.n == 0 {
				return ErrBadShape
			}
			r.off = start
			if m.Data, m.Attachments, err = r.toJSON(m.Data, m.Attachments, 0); err != nil {
				return err
			}
			hasData = true
		case "nsp":
			s, ok, err := r.str()
			if err != nil {
				return err
			}
			if ok {
				m.Nsp, hasNsp = reuse(m.Nsp, s), true
			}
		default:
			if err := r.skip(0); err != nil {
				return err
			}
		}
	}
	if !hasData {
		return ErrBadShape
	}
	if !hasNsp {
		m.Nsp = "/"
	}
	return nil
}

// reuse returns old when it holds b, a new string otherwise: a decoder fed
// the same uid, namespace and rooms again and again allocates none of them.
func reuse(old string, b []byte) string {
	if old == string(b) {
		return old
	}
	return string(b)
}

// decodeOpts reads the opts map; prevRooms and prevExcept are the lists of
// the previous message, whose strings are reused.
func (r *reader) decodeOpts(o *Opts, prevRooms, prevExcept []string) error {
	n, err := r.mapLen()
	if err != nil {
		return err
	}
	for range n {
		key, _, err := r.str()
		if err != nil {
			return err
		}
		switch string(key) {
		case "rooms":
			o.Rooms, err = r.rooms(prevRooms)
		case "except":
			o.Except, err = r.rooms(prevExcept)
		case "flags":
			err = r.decodeFlags(&o.Flags)
		default:
			err = r.skip(0)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// rooms reads an array of room names into prev[:0], reusing the strings of
// prev that match; numbers are accepted (Node rooms may be numbers) and
// written as JavaScript would print them; nil is no rooms.
func (r *reader) rooms(prev []string) ([]string, error) {
	dst := prev[:0]
	v, err := r.next()
	if err != nil {
		return dst, err
	}
	if v.kind == kindNil {
		return dst, nil
	}
	if v.kind != kindArray {
		return dst, ErrBadShape
	}
	for range v.n {
		e, err := r.next()
		if err != nil {
			return dst, err
		}
		switch e.kind {
		case kindStr:
			old := ""
			if len(dst) < len(prev) {
				old = prev[len(dst)]
			}
			dst = append(dst, reuse(old, e.raw))
		case kindInt:
			dst = append(dst, strconv.FormatInt(e.i, 10))
		case kindUint:
			dst = append(dst, strconv.FormatUint(e.u, 10))
		case kindFloat:
			dst = append(dst, string(appendJSNumber(nil, e.f)))
		default:
			return dst, ErrBadShape
		}
	}
	return dst, nil
}

func (r *reader) decodeFlags(f *Flags) error {
	v, err := r.next()
	if err != nil {
		return err
	}
	if v.kind == kindNil {
		return nil
	}
	if v.kind != kindMap {
		return ErrBadShape
	}
	for range v.n {
		key, _, err := r.str()
		if err != nil {
			return err
		}
		val, err := r.next()
		if err != nil {
			return err
		}
		switch string(key) {
		case "volatile":
			f.Volatile = val.kind == kindBool && val.b
		case "compress":
			if val.kind == kindBool {
				c := val.b
				f.Compress = &c
			}
		case "timeout":
			if t, err := val.asInt(); err == nil && t > 0 {
				f.Timeout = t
			}
		}
		if val.kind == kindArray || val.kind == kindMap { // skip the items of an unknown container
			if err := r.skipItems(val); err != nil {
				return err
			}
		}
	}
	return nil
}

// skipItems skips the items of a container whose head was read.
func (r *reader) skipItems(v value) error {
	n := v.n
	if v.kind == kindMap {
		n *= 2
	}
	for range n {
		if err := r.skip(1); err != nil {
			return err
		}
	}
	return nil
}
