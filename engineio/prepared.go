package engineio

import (
	"sync"

	"github.com/gobwas/ws"

	"github.com/sio-fast/sio-fast/engineio/packet"
	"github.com/sio-fast/sio-fast/httpx"
	"github.com/sio-fast/sio-fast/internal/wsframe"
)

// Message is one Engine.IO message: text, or binary when Binary is set.
// NoCompress sends it uncompressed whatever the compression thresholds
// (Node's `compress: false`): no permessage-deflate for it, and a polling
// response made only of such messages (and no control packet) is not
// gzip- or deflate-encoded.
type Message struct {
	Data       []byte
	Binary     bool
	NoCompress bool
}

// Prepared is a sequence of Engine.IO messages encoded once for every
// transport, so a broadcast writes the same bytes to every recipient: the
// WebSocket frames (all messages back to back, one write) and the v4 polling
// payload. The Engine.IO v3 forms are built on first use. A Prepared is
// immutable and safe to share between goroutines.
type Prepared struct {
	msgs []Message
	ws   []byte // v4 WebSocket frames
	poll []byte // v4 polling payload (no leading separator)
	// pollResp is the whole answer to a kept-alive v4 polling GET that
	// carries poll alone, built on first use (answerPrepared).
	pollOnce sync.Once
	pollResp []byte
	v3Once   sync.Once
	wsV3     []byte
	pollV3   []byte // text form, binary as base64 ("b4...")
	pollV3B  []byte // XHR2 binary form
	// permessage-deflate forms, built on first use by a connection that
	// negotiated it, so that every such recipient gets the same bytes.
	deflOnce   sync.Once
	wsDefl     []byte
	deflV3Once sync.Once
	wsDeflV3   []byte
}

// NewPrepared encodes msgs for every transport. It takes ownership of the
// messages' bytes: they must not change afterwards. Safe from any goroutine.
func NewPrepared(msgs ...Message) *Prepared {
	p := &Prepared{msgs: msgs}
	size := 0
	for _, m := range msgs {
		size += len(m.Data) + 2*wsframe.MaxHeaderLen
	}
	p.ws = make([]byte, 0, size)
	for i, m := range msgs {
		p.ws = appendWSFrame(p.ws, m, false)
		if i > 0 {
			p.poll = packet.AppendPayloadSep(p.poll)
		}
		p.poll = packet.AppendPayloadPacket(p.poll, toPacket(m))
	}
	return p
}

// Messages returns the messages, for transports that need them one by one.
// The slice must not be modified. Safe from any goroutine.
func (p *Prepared) Messages() []Message { return p.msgs }

// wsFrames returns the WebSocket frames for a v4 or v3 connection,
// compressed per d when d is not nil. The compressed forms are built once,
// with the settings of the first caller (all recipients of a Prepared
// normally share one server's Config). Safe from any goroutine.
func (p *Prepared) wsFrames(v3 bool, d *PerMessageDeflate) []byte {
	switch {
	case d == nil && !v3:
		return p.ws
	case d == nil:
		p.buildV3()
		return p.wsV3
	case !v3:
		p.deflOnce.Do(func() { p.wsDefl = encodeFrames(p.msgs, false, d) })
		return p.wsDefl
	default:
		p.deflV3Once.Do(func() { p.wsDeflV3 = encodeFrames(p.msgs, true, d) })
		return p.wsDeflV3
	}
}

// pollAnswer returns the HTTP response to a kept-alive v4 polling GET
// carrying the messages alone, with the head answerGetTyped writes. Safe
// from any goroutine.
func (p *Prepared) pollAnswer() []byte {
	p.pollOnce.Do(func() {
		r := appendResponseHead(make([]byte, 0, len(p.poll)+128), 200, "text/plain; charset=UTF-8", int64(len(p.poll)), true)
		r = append(r, "Cache-Control: no-store\r\n"...)
		p.pollResp = append(httpx.AppendEndHeaders(r), p.poll...)
	})
	return p.pollResp
}

func (p *Prepared) buildV3() {
	p.v3Once.Do(func() {
		for _, m := range p.msgs {
			p.wsV3 = appendWSFrame(p.wsV3, m, true)
			p.pollV3 = packet.AppendPayloadV3(p.pollV3, toPacket(m))
			p.pollV3B = packet.AppendBinaryPayloadV3(p.pollV3B, toPacket(m))
		}
	})
}

func toPacket(m Message) packet.Packet {
	return packet.Packet{Type: packet.Message, Data: m.Data, Binary: m.Binary}
}

// queued is a packet waiting for the polling transport (or for the
// WebSocket an upgrade brings); plain marks a NoCompress message.
type queued struct {
	packet.Packet
	plain bool
}

func queueMessage(m Message) queued { return queued{Packet: toPacket(m), plain: m.NoCompress} }

// appendWSFrame encodes one message as a WebSocket frame: a text frame "4"
// + data, or a binary frame of the raw bytes (v3 prefixes the type byte 4).
func appendWSFrame(dst []byte, m Message, v3 bool) []byte {
	if !m.Binary {
		dst = wsframe.AppendHeader(dst, ws.OpText, true, len(m.Data)+1)
		dst = append(dst, '4')
		return append(dst, m.Data...)
	}
	if v3 {
		dst = wsframe.AppendHeader(dst, ws.OpBinary, true, len(m.Data)+1)
		dst = append(dst, 4)
		return append(dst, m.Data...)
	}
	return wsframe.AppendFrame(dst, ws.OpBinary, m.Data)
}
