package packet

import "strconv"

// Handshake is the content of the open packet the server sends first.
type Handshake struct {
	SID          string   // session id; the client's only credential
	Upgrades     []string // ["websocket"] over polling, empty over WebSocket
	PingInterval int64    // milliseconds (Node default 25000)
	PingTimeout  int64    // milliseconds (Node default 20000)
	MaxPayload   int64    // bytes (Node default 1e6); see AppendOpen for v3
}

// AppendOpen appends the open packet: "0" + the handshake JSON with Node's
// exact key order and formatting:
//
//	0{"sid":"…","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}
//
// v4 always carries maxPayload. For v3 the key is written only when
// h.MaxPayload > 0: Node 4.x serving EIO=3 sends it (the v3 suite accepts it
// present as 1000000 or absent), older v3 servers did not. The result is a
// text packet; over v3 polling, frame it with AppendPayloadV3 (Packet{Type:
// Open, Data: json}) or use AppendHandshake. Safe from any goroutine.
func AppendOpen(dst []byte, h Handshake, v3 bool) []byte {
	dst = append(dst, Open.digit())
	return AppendHandshake(dst, h, v3)
}

// AppendHandshake appends only the handshake JSON of AppendOpen, without the
// leading type digit. Safe from any goroutine.
func AppendHandshake(dst []byte, h Handshake, v3 bool) []byte {
	dst = append(dst, `{"sid":`...)
	dst = appendJSONString(dst, h.SID)
	dst = append(dst, `,"upgrades":[`...)
	for i, u := range h.Upgrades {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendJSONString(dst, u)
	}
	dst = append(dst, `],"pingInterval":`...)
	dst = strconv.AppendInt(dst, h.PingInterval, 10)
	dst = append(dst, `,"pingTimeout":`...)
	dst = strconv.AppendInt(dst, h.PingTimeout, 10)
	if !v3 || h.MaxPayload > 0 {
		dst = append(dst, `,"maxPayload":`...)
		dst = strconv.AppendInt(dst, h.MaxPayload, 10)
	}
	return append(dst, '}')
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string the way JSON.stringify does:
// quote, backslash and control characters escaped, the rest verbatim. Session
// ids are URL-safe base64, so this is defensive rather than hot.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			dst = append(dst, '\\', c)
		case c == '\n':
			dst = append(dst, '\\', 'n')
		case c == '\r':
			dst = append(dst, '\\', 'r')
		case c == '\t':
			dst = append(dst, '\\', 't')
		case c == '\b':
			dst = append(dst, '\\', 'b')
		case c == '\f':
			dst = append(dst, '\\', 'f')
		case c < 0x20:
			dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
		default:
			dst = append(dst, c)
		}
	}
	return append(dst, '"')
}
