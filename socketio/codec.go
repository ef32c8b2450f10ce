package socketio

import (
	"bytes"
	"errors"

	"github.com/sio-fast/sio-fast/engineio"
	"github.com/sio-fast/sio-fast/socketio/parser"
)

// The selection points between the default text parser and Config.Parser.
// Without a Parser each function below takes the default path after one nil
// check, so that path keeps its speed and its allocation counts
// (alloc_test.go); with one, packets keep the default parser's in-memory
// form (JSON data, binary values as attachments) and are translated only
// at the edge: when a message arrives and when a packet is encoded, once
// per broadcast.

// encode returns the Engine.IO messages of an EVENT or ACK packet. It fails
// only with a Parser, when pkt.Data is not valid JSON (a bad
// json.RawMessage argument). Any goroutine.
func (srv *Server) encode(pkt *parser.Packet) ([]engineio.Message, error) {
	if srv.codec == nil {
		return encodeMessages(pkt), nil
	}
	return srv.encodeCodec(pkt)
}

func (srv *Server) encodeCodec(pkt *parser.Packet) ([]engineio.Message, error) {
	size := len(pkt.Data) + len(pkt.Namespace) + 32
	for _, a := range pkt.Attachments {
		size += len(a) + 5
	}
	p := *pkt // a copy escapes to the interface call, not the caller's packet
	data, binary, err := srv.codec.AppendPacket(make([]byte, 0, size), &p)
	if err != nil {
		return nil, errors.Join(ErrBadArgument, err)
	}
	return []engineio.Message{{Data: data, Binary: binary}}, nil
}

// encodeSimple encodes, in the server's format, a packet without payload or
// with a JSON payload the server built (CONNECT_ERROR, DISCONNECT); the
// function of the same name is the default format's. Any goroutine.
func (srv *Server) encodeSimple(t parser.Type, nsp string, data []byte) []engineio.Message {
	if srv.codec == nil {
		return encodeSimple(t, nsp, data)
	}
	msgs, err := srv.encodeCodec(&parser.Packet{Type: t, Namespace: nsp, ID: -1, Data: data})
	if err != nil {
		srv.logger.Error("socketio: cannot encode packet", "type", t, "namespace", nsp, "err", err)
	}
	return msgs
}

// appendPacket appends pkt, which has no attachments, to dst as one
// message (the CONNECT reply, built in pooled memory). Any goroutine.
func (srv *Server) appendPacket(dst []byte, pkt *parser.Packet) engineio.Message {
	if srv.codec == nil {
		return engineio.Message{Data: parser.AppendPacket(dst, pkt)}
	}
	p := *pkt // see encodeCodec
	out, binary, err := srv.codec.AppendPacket(dst, &p)
	if err != nil {
		srv.logger.Error("socketio: cannot encode packet", "type", pkt.Type, "namespace", pkt.Namespace, "err", err)
	}
	return engineio.Message{Data: out, Binary: binary}
}

// outgoingText returns the EVENT text the outgoing catch-all listeners of a
// broadcast's recipients parse later, on their loops: the encoded message
// itself for the default parser, else a copy of the JSON payload (pkt.Data
// is only valid during the broadcast call).
func (srv *Server) outgoingText(msg []byte, pkt *parser.Packet) []byte {
	if srv.codec == nil {
		return msg
	}
	return bytes.Clone(pkt.Data)
}

// onCodecMessage decodes one message with the server's Parser. The decoder
// is lent for the call: formats other than the default one have no
// packet spanning messages. Home loop.
func (c *conn) onCodecMessage(data []byte, binary bool) {
	d := c.ls().srv.codecDecoders.Get().(parser.CodecDecoder)
	p, err := d.Decode(data, binary)
	if err != nil {
		c.ls().srv.codecDecoders.Put(d)
		c.onError(err)
		return
	}
	c.watchedPacket(p) // p lives in d: d goes back only after the packet is handled
	d.Reset()
	c.ls().srv.codecDecoders.Put(d)
}

// discard releases the collected recipients of a broadcast that could not
// be encoded, writing nothing.
func (c *collector) discard() {
	for _, t := range c.tasks {
		clear(t.socks)
		t.socks = t.socks[:0]
	}
	c.dispatch(nil, false, nil, nil, 0, nil)
}
