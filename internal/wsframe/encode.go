package wsframe

import (
	"slices"
	"unicode/utf8"

	"github.com/gobwas/ws"
)

// maxControlPayload is the RFC 6455 limit for ping, pong and close payloads.
const maxControlPayload = ws.MaxControlFramePayloadSize

// AppendFrame appends one complete unmasked FIN frame with the given opcode
// and payload, growing dst at most once.
//
// The result is plain bytes with no per-connection state: a frame prepared
// once (e.g. for a broadcast) may be written as-is to any number of
// connections, concurrently, as long as nobody modifies it. Safe from any
// goroutine.
func AppendFrame(dst []byte, op ws.OpCode, payload []byte) []byte {
	dst = slices.Grow(dst, HeaderLen(len(payload))+len(payload))
	dst = AppendHeader(dst, op, true, len(payload))
	return append(dst, payload...)
}

// AppendPing appends a ping frame. Control payloads are limited to 125 bytes;
// a longer payload is truncated. Safe from any goroutine.
func AppendPing(dst, payload []byte) []byte {
	return AppendFrame(dst, ws.OpPing, truncControl(payload))
}

// AppendPong appends a pong frame, normally echoing the payload of a received
// ping (Message.Payload of a KindPing, which is at most 125 bytes). A longer
// payload is truncated to 125 bytes. Safe from any goroutine.
func AppendPong(dst, payload []byte) []byte {
	return AppendFrame(dst, ws.OpPong, truncControl(payload))
}

// AppendClose appends a close frame carrying code and reason.
//
// A zero code produces a close frame with an empty body (no status), which
// is the right echo for a received close that had no status (CloseCode 1005).
// The reason is truncated at a UTF-8 boundary to fit the 125-byte control
// payload limit. Safe from any goroutine.
func AppendClose(dst []byte, code ws.StatusCode, reason string) []byte {
	if code == 0 {
		return AppendHeader(dst, ws.OpClose, true, 0)
	}
	if len(reason) > maxControlPayload-2 {
		cut := maxControlPayload - 2
		for cut > 0 && !utf8.RuneStart(reason[cut]) {
			cut--
		}
		reason = reason[:cut]
	}
	n := 2 + len(reason)
	dst = slices.Grow(dst, 2+n)
	dst = AppendHeader(dst, ws.OpClose, true, n)
	at := len(dst)
	dst = dst[:at+n]
	ws.PutCloseFrameBody(dst[at:], code, reason)
	return dst
}

// AppendClientFrame appends a masked frame as a client sends it, masking a
// copy of payload with mask (payload itself is not modified). Servers never
// send masked frames; this exists for tests, load generators and clients.
// Safe from any goroutine.
func AppendClientFrame(dst []byte, op ws.OpCode, fin bool, mask [4]byte, payload []byte) []byte {
	dst = slices.Grow(dst, HeaderLen(len(payload))+4+len(payload))
	dst = AppendHeader(dst, op, fin, len(payload))
	dst[len(dst)-HeaderLen(len(payload))+1] |= 0x80
	dst = append(dst, mask[:]...)
	at := len(dst)
	dst = append(dst, payload...)
	ws.Cipher(dst[at:], mask, 0)
	return dst
}

func truncControl(p []byte) []byte {
	if len(p) > maxControlPayload {
		return p[:maxControlPayload]
	}
	return p
}
