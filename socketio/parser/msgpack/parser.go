package msgpack

import (
	"sync"

	"github.com/sio-fast/sio-fast/socketio/parser"
)

// Parser is the socket.io-msgpack-parser format, a parser.Codec: pass it as
// socketio.Config.Parser (Node: `parser: require("socket.io-msgpack-parser")`).
// Its methods are safe from any goroutine.
type Parser struct{}

// NewDecoder returns a Decoder; intern (may be nil) turns namespace names
// other than "/" into strings.
func (Parser) NewDecoder(intern func(nsp []byte) string) parser.CodecDecoder {
	return &Decoder{intern: intern, rd: newReader()}
}

var writers = sync.Pool{New: func() any { return newWriter() }}

// AppendPacket appends p as one msgpack map, {type, data, id, nsp} in the
// order Node's server writes an event (data and id only when present), and
// reports true: the message is binary. p.Data must be JSON; canonical
// placeholders ({"_placeholder":true,"num":N} with N < len(p.Attachments))
// become bin values, integral numbers take the smallest integer form, other
// numbers float 64. BinaryEvent and BinaryAck are written as EVENT and ACK.
// On error dst is returned unchanged.
func (Parser) AppendPacket(dst []byte, p *parser.Packet) ([]byte, bool, error) {
	w := writers.Get().(*writer)
	w.b = dst
	err := w.packet(p)
	out := w.b
	w.b = nil
	writers.Put(w)
	if err != nil {
		return dst, true, err
	}
	return out, true, nil
}

// packet writes the map of p.
func (w *writer) packet(p *parser.Packet) error {
	t := p.Type
	switch t {
	case parser.BinaryEvent:
		t = parser.Event
	case parser.BinaryAck:
		t = parser.Ack
	}
	n := 2
	if p.Data != nil {
		n++
	}
	if p.ID >= 0 {
		n++
	}
	_ = w.enc.EncodeMapLen(n)
	_ = w.enc.EncodeString("type")
	_ = w.enc.EncodeInt(int64(t))
	if p.Data != nil {
		_ = w.enc.EncodeString("data")
		if err := w.appendData(p.Data, p.Attachments); err != nil {
			return err
		}
	}
	if p.ID >= 0 {
		_ = w.enc.EncodeString("id")
		_ = w.enc.EncodeInt(p.ID)
	}
	_ = w.enc.EncodeString("nsp")
	nsp := p.Namespace
	if nsp == "" {
		nsp = parser.MainNamespace
	}
	return w.enc.EncodeString(nsp)
}
