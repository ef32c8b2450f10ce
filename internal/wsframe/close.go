package wsframe

import (
	"encoding/binary"
	"unicode/utf8"

	"github.com/gobwas/ws"
)

// ValidCloseCode reports whether a peer may send code in a close frame. It
// follows the Node "ws" library (our usual peer): 1000-1014 except 1004,
// 1005 and 1006, plus the registered and private ranges 3000-4999. Codes
// 1005, 1006 and 1015 are reserved for local reporting and must never be on
// the wire. Safe from any goroutine.
func ValidCloseCode(code ws.StatusCode) bool {
	switch {
	case code >= 1000 && code <= 1014:
		return code != ws.StatusNoMeaningYet && code != ws.StatusNoStatusRcvd &&
			code != ws.StatusAbnormalClosure
	case code >= 3000 && code <= 4999:
		return true
	default:
		return false
	}
}

// parseClose turns a close frame payload into a Message. An empty payload
// means "no status" and is reported as 1005 (RFC 6455 7.1.5); the echo for
// it is AppendClose(dst, 0, "").
func parseClose(p []byte) (Message, error) {
	switch len(p) {
	case 0:
		return Message{Kind: KindClose, CloseCode: ws.StatusNoStatusRcvd}, nil
	case 1:
		return Message{}, ErrCloseShort
	}
	code := ws.StatusCode(binary.BigEndian.Uint16(p))
	if !ValidCloseCode(code) {
		return Message{}, ErrCloseCode
	}
	reason := p[2:]
	if !utf8.Valid(reason) {
		return Message{}, ErrCloseReasonUTF8
	}
	return Message{Kind: KindClose, CloseCode: code, CloseReason: reason}, nil
}
