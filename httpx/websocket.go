package httpx

import (
	"crypto/sha1"
	"encoding/base64"
)

// websocketGUID is the fixed suffix of RFC 6455 §1.3 used for the accept key.
const websocketGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

// IsUpgrade reports whether r asks for a WebSocket upgrade at all (its
// Upgrade field lists the "websocket" token). Use CheckUpgrade to validate
// the handshake. Like all Request methods, call it on the parser's goroutine.
func IsUpgrade(r *Request) bool { return r.HasToken("Upgrade", "websocket") }

// CheckUpgrade validates an RFC 6455 §4.2.1 opening handshake and returns
// the Sec-WebSocket-Key (a view into the request) for AppendAcceptKey.
// Checks, in order: GET (else 405), HTTP/1.1 (505), Host present (400),
// Upgrade lists websocket (400), Connection lists upgrade (400),
// Sec-WebSocket-Version is 13 (426 with "Sec-WebSocket-Version: 13", which
// AppendErrorResponse writes from the error's ExtraHeaders), and exactly one
// Sec-WebSocket-Key that is the canonical base64 of 16 bytes (400).
func CheckUpgrade(r *Request) (key []byte, err *Error) {
	switch {
	case string(r.Method) != "GET":
		return nil, ErrUpgradeMethod
	case r.Minor != 1:
		return nil, ErrUpgradeVersion
	case r.Header("Host") == nil:
		return nil, ErrUpgradeHost
	case !r.HasToken("Upgrade", "websocket"):
		return nil, ErrUpgradeHeader
	case !r.HasToken("Connection", "upgrade"):
		return nil, ErrUpgradeConnection
	case string(r.Header("Sec-WebSocket-Version")) != "13":
		return nil, ErrUpgradeWSVersion
	}
	key = r.Header("Sec-WebSocket-Key")
	if !validKey(key) || r.headerCount("Sec-WebSocket-Key") != 1 {
		return nil, ErrUpgradeKey
	}
	return key, nil
}

// validKey reports whether k is the canonical padded base64 of 16 bytes:
// 21 free characters, a 22nd whose low 4 bits are zero, then "==".
func validKey(k []byte) bool {
	if len(k) != 24 || k[22] != '=' || k[23] != '=' {
		return false
	}
	for _, c := range k[:21] {
		if !isBase64(c) {
			return false
		}
	}
	switch k[21] {
	case 'A', 'Q', 'g', 'w':
		return true
	}
	return false
}

func isBase64(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '+' || c == '/'
}

// AppendAcceptKey appends the 28-byte Sec-WebSocket-Accept value for key:
// base64(SHA-1(key + GUID)). For a 24-byte key (every valid one) the hash
// input and output live on the stack, so it does not allocate.
func AppendAcceptKey(dst, key []byte) []byte {
	var sum [sha1.Size]byte
	if len(key) == 24 {
		var in [24 + len(websocketGUID)]byte
		copy(in[:], key)
		copy(in[24:], websocketGUID)
		sum = sha1.Sum(in[:])
	} else {
		h := sha1.New() // off the hot path: CheckUpgrade rejects such keys
		h.Write(key)
		h.Write([]byte(websocketGUID))
		h.Sum(sum[:0])
	}
	var out [28]byte
	base64.StdEncoding.Encode(out[:], sum[:])
	return append(dst, out[:]...)
}

// AppendSwitchingProtocolsHead appends the 101 status line and the Upgrade,
// Connection and Sec-WebSocket-Accept fields, leaving the header block open
// so the caller can add e.g. Sec-WebSocket-Extensions or Set-Cookie with
// AppendHeader before AppendEndHeaders.
func AppendSwitchingProtocolsHead(dst, key []byte) []byte {
	dst = append(dst, "HTTP/1.1 101 Switching Protocols\r\n"+
		"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "...)
	dst = AppendAcceptKey(dst, key)
	return append(dst, "\r\n"...)
}

// AppendSwitchingProtocols appends the complete 101 response, including
// the blank line that ends it.
func AppendSwitchingProtocols(dst, key []byte) []byte {
	return AppendEndHeaders(AppendSwitchingProtocolsHead(dst, key))
}
