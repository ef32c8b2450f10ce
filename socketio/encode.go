package socketio

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"sync"

	"github.com/sio-fast/sio-fast/engineio"
	"github.com/sio-fast/sio-fast/internal/jsonx"
	"github.com/sio-fast/sio-fast/socketio/parser"
)

// errSlowPath makes appendValues fall back to parser.Deconstruct.
var errSlowPath = errors.New("socketio: slow path")

// scratchPool holds buffers for building a packet payload before its final,
// exactly sized copy is made (the engine takes ownership of that copy).
var scratchPool = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

const maxPooledScratch = 64 << 10

// appendValues appends the JSON of each value, comma-separated, to dst and
// collects binary values as attachments. Common types are written without
// reflection: nil, string, bool, integers, floats, json.RawMessage (verbatim),
// []byte (attachment) and Args (spliced, as received). Anything else returns
// errSlowPath.
func appendValues(dst []byte, atts [][]byte, values []any, first bool) ([]byte, [][]byte, error) {
	for _, v := range values {
		if a, ok := v.(Args); ok {
			var err error
			if dst, atts, err = appendArgs(dst, atts, a, first); err != nil {
				return dst, atts, err
			}
			first = first && a.Len() == 0
			continue
		}
		if !first {
			dst = append(dst, ',')
		}
		first = false
		var err error
		if dst, atts, err = appendValue(dst, atts, v); err != nil {
			return dst, atts, err
		}
	}
	return dst, atts, nil
}

// appendArgs splices the elements of a, as received, with their
// attachments. Placeholders keep their numbers, so that works only when a's
// attachments come first and whole: otherwise (other attachments before,
// or a view of some arguments that refer to attachments) it returns
// errSlowPath, which renumbers. A view without placeholders needs no
// attachment at all.
func appendArgs(dst []byte, atts [][]byte, a Args, first bool) ([]byte, [][]byte, error) {
	b, locked, err := a.acquire()
	defer b.release(locked)
	if err != nil {
		return dst, atts, err
	}
	withAtts := len(b.atts) > 0
	if withAtts && b.isView() {
		withAtts = false
		for _, e := range b.elems {
			if bytes.Contains(e, placeholderKey) {
				withAtts = true
			}
		}
	}
	if withAtts && (len(atts) > 0 || b.isView()) {
		return dst, atts, errSlowPath
	}
	for _, e := range b.elems {
		if !first {
			dst = append(dst, ',')
		}
		dst, first = append(dst, e...), false
	}
	if withAtts {
		atts = append(atts, b.atts...)
	}
	return dst, atts, nil
}

func appendValue(dst []byte, atts [][]byte, v any) ([]byte, [][]byte, error) {
	switch x := v.(type) {
	case nil:
		return append(dst, "null"...), atts, nil
	case string:
		return parser.AppendString(dst, x), atts, nil
	case json.RawMessage:
		if len(x) == 0 {
			return append(dst, "null"...), atts, nil
		}
		return append(dst, x...), atts, nil
	case []byte:
		if x == nil {
			return append(dst, "null"...), atts, nil
		}
		dst = append(dst, placeholderPrefix...)
		dst = strconv.AppendInt(dst, int64(len(atts)), 10)
		return append(dst, '}'), append(atts, x), nil
	case bool:
		return strconv.AppendBool(dst, x), atts, nil
	case int:
		return strconv.AppendInt(dst, int64(x), 10), atts, nil
	case int64:
		return strconv.AppendInt(dst, x, 10), atts, nil
	case int32:
		return strconv.AppendInt(dst, int64(x), 10), atts, nil
	case uint:
		return strconv.AppendUint(dst, uint64(x), 10), atts, nil
	case uint64:
		return strconv.AppendUint(dst, x, 10), atts, nil
	case uint32:
		return strconv.AppendUint(dst, uint64(x), 10), atts, nil
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return append(dst, "null"...), atts, nil // JSON.stringify does the same
		}
		if x == math.Trunc(x) && math.Abs(x) < 1e21 {
			return strconv.AppendFloat(dst, x, 'f', -1, 64), atts, nil
		}
		out, err := jsonx.AppendMarshal(dst, x)
		return out, atts, err
	}
	return dst, atts, errSlowPath
}

// appendValuesSlow encodes values with parser.Deconstruct (reflection), which
// finds []byte at any depth. Args are turned back into generic values so
// their placeholders get renumbered.
func appendValuesSlow(dst []byte, values []any, first bool) ([]byte, [][]byte, error) {
	flat := make([]any, 0, len(values))
	for _, v := range values {
		a, ok := v.(Args)
		if !ok {
			flat = append(flat, v)
			continue
		}
		for i := range a.elems {
			x, err := a.Value(i)
			if err != nil {
				return dst, nil, err
			}
			flat = append(flat, x)
		}
	}
	data, atts, err := parser.Deconstruct(flat)
	if err != nil {
		return dst, nil, errors.Join(ErrBadArgument, err)
	}
	inner := data[1 : len(data)-1]
	if len(inner) > 0 && !first {
		dst = append(dst, ',')
	}
	return append(dst, inner...), atts, nil
}

// eventData builds the payload of an EVENT (`["event",values...]`) or, when
// event is "" and isAck, of an ACK (`[values...]`) into a pooled scratch
// buffer. releaseScratch(bp) returns the buffer to the pool; data is valid
// until then.
func eventData(event string, isAck bool, values []any) (data []byte, atts [][]byte, bp *[]byte, err error) {
	bp = scratchPool.Get().(*[]byte)
	buf := append((*bp)[:0], '[')
	first := true
	if !isAck {
		buf, first = parser.AppendString(buf, event), false
	}
	start := len(buf)
	buf, atts, err = appendValues(buf, nil, values, first)
	if err == errSlowPath {
		buf, atts, err = appendValuesSlow(buf[:start], values, first)
	}
	buf = append(buf, ']')
	*bp = buf
	return buf, atts, bp, err
}

func releaseScratch(bp *[]byte) {
	if cap(*bp) <= maxPooledScratch {
		scratchPool.Put(bp)
	}
}

// encodeMessages encodes pkt (Type EVENT or ACK; switched to the binary type
// when it has attachments) into Engine.IO messages with one exactly sized
// text buffer. The attachments are referenced, not copied.
func encodeMessages(pkt *parser.Packet) []engineio.Message {
	if len(pkt.Attachments) > 0 {
		switch pkt.Type {
		case parser.Event:
			pkt.Type = parser.BinaryEvent
		case parser.Ack:
			pkt.Type = parser.BinaryAck
		}
	}
	text := make([]byte, 0, len(pkt.Data)+len(pkt.Namespace)+24)
	text = parser.AppendPacket(text, pkt)
	msgs := make([]engineio.Message, 1+len(pkt.Attachments))
	msgs[0] = engineio.Message{Data: text}
	for i, a := range pkt.Attachments {
		msgs[i+1] = engineio.Message{Data: a, Binary: true}
	}
	return msgs
}

// markNoCompress marks msgs to be sent uncompressed (compress(false)).
func markNoCompress(msgs []engineio.Message) {
	for i := range msgs {
		msgs[i].NoCompress = true
	}
}

// encodeSimple encodes a packet without payload or with a JSON payload
// (CONNECT, DISCONNECT, CONNECT_ERROR) as one text message.
func encodeSimple(t parser.Type, nsp string, data []byte) []engineio.Message {
	pkt := parser.Packet{Type: t, Namespace: nsp, ID: -1, Data: data}
	text := parser.AppendPacket(make([]byte, 0, len(data)+len(nsp)+4), &pkt)
	return []engineio.Message{{Data: text}}
}
