package engineio

import (
	"github.com/gobwas/ws"

	"github.com/sio-fast/sio-fast/engineio/packet"
	"github.com/sio-fast/sio-fast/internal/wsframe"
)

// Control frames are built once: they are immutable and may be written to
// any number of connections.
var (
	wsPing        = wsframe.AppendFrame(nil, ws.OpText, []byte("2"))
	wsPong        = wsframe.AppendFrame(nil, ws.OpText, []byte("3"))
	wsPongProbe   = wsframe.AppendFrame(nil, ws.OpText, []byte("3probe"))
	wsClosePacket = wsframe.AppendFrame(nil, ws.OpText, []byte("1"))
	wsCloseNormal = wsframe.AppendClose(nil, ws.StatusNormalClosure, "")
)

// controlFrame returns the WebSocket frame for a control packet.
func controlFrame(t packet.Type, data []byte) []byte {
	switch {
	case t == packet.Ping && len(data) == 0:
		return wsPing
	case t == packet.Pong && len(data) == 0:
		return wsPong
	case t == packet.Pong && string(data) == "probe":
		return wsPongProbe
	case t == packet.Close && len(data) == 0:
		return wsClosePacket
	}
	return appendPacketFrame(nil, packet.Packet{Type: t, Data: data}, false)
}

// appendPacketFrameDeflate is appendPacketFrame for a connection that may
// have negotiated permessage-deflate (d non-nil): messages may be compressed.
func appendPacketFrameDeflate(dst []byte, q queued, v3 bool, d *PerMessageDeflate) []byte {
	p := q.Packet
	if p.Type == packet.Message && d != nil {
		return appendDeflatedWSFrame(dst, Message{Data: p.Data, Binary: p.Binary, NoCompress: q.plain}, v3, d)
	}
	return appendPacketFrame(dst, p, v3)
}

// appendPacketFrame encodes any packet as one WebSocket frame.
func appendPacketFrame(dst []byte, p packet.Packet, v3 bool) []byte {
	if p.Type == packet.Message {
		return appendWSFrame(dst, Message{Data: p.Data, Binary: p.Binary}, v3)
	}
	dst = wsframe.AppendHeader(dst, ws.OpText, true, len(p.Data)+1)
	dst = append(dst, '0'+byte(p.Type))
	return append(dst, p.Data...)
}
