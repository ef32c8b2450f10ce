package engineio

import (
	"encoding/base64"
	"strings"
)

// A Request keeps its header fields for as long as its session lives (for
// Header, as Node's socket.handshake.headers), one copy per idle
// connection. Most of a WebSocket handshake is the same few fields in every
// request ("Connection: Upgrade", "Sec-WebSocket-Version: 13"...), so the
// copy stores those as one byte: header names are tokens (ASCII), so a field
// can never start with a byte of 0x80 or more, and such a byte marks a code:
//
//   - fieldLines[c-0x80], for 0x80 <= c < 0x80+len(fieldLines): a whole
//     field (name and value), with no "\r\n" after it;
//   - fieldNames[c-0xC0], for 0xC0 <= c < 0xC0+len(fieldNames): a name;
//     the value follows, then "\r\n";
//   - keyField: a Sec-WebSocket-Key whose value is the canonical base64
//     of 16 bytes (as RFC 6455 has clients send it): those 16 bytes follow,
//     8 fewer than its text;
//   - escapeField: a field stored as received follows ("Key: Value\r\n"),
//     for NewRequest's names that are not tokens;
//   - anything else starts a field stored as received.
//
// Names match without regard to case (Header gives them canonical anyway)
// and values exactly.

// fieldLines are whole fields common in handshakes (at most 64).
var fieldLines = [...]string{
	"Connection: Upgrade",
	"Upgrade: websocket",
	"Sec-WebSocket-Version: 13",
	"Connection: keep-alive",
	"Connection: keep-alive, Upgrade",
	"Cache-Control: no-cache",
	"Pragma: no-cache",
	"Accept: */*",
	"Accept-Encoding: gzip, deflate, br, zstd",
	"Accept-Encoding: gzip, deflate, br",
	"Accept-Encoding: gzip, deflate",
	"Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits",
	"Sec-WebSocket-Extensions: permessage-deflate",
	"Sec-Fetch-Dest: empty",
	"Sec-Fetch-Dest: websocket",
	"Sec-Fetch-Mode: websocket",
	"Sec-Fetch-Mode: cors",
	"Sec-Fetch-Site: same-origin",
	"Sec-Fetch-Site: same-site",
	"Sec-Fetch-Site: cross-site",
	"Sec-Ch-Ua-Mobile: ?0",
	"Upgrade: WebSocket",
}

// fieldNames are names common in handshakes whose values vary (at most 63).
var fieldNames = [...]string{
	"Host",
	"Sec-WebSocket-Key",
	"User-Agent",
	"Origin",
	"Accept-Language",
	"Cookie",
	"Referer",
	"Authorization",
	"X-Forwarded-For",
	"X-Forwarded-Proto",
	"X-Forwarded-Host",
	"X-Real-Ip",
	"Content-Type",
	"Content-Length",
	"Sec-Ch-Ua",
	"Sec-Ch-Ua-Platform",
	"Accept",
	"Accept-Encoding",
	"Connection",
	"Upgrade",
}

// commonTargets are request targets common in WebSocket handshakes: a
// Socket.IO or Engine.IO client opening its session on a WebSocket at the
// default path sends exactly one of these (socket.io-client adds no
// timestamp to WebSocket URLs). A Request whose target is one of them
// stores its index in one byte instead (metaTargetCoded): 37 bytes less
// per idle session. Each starts with its path (see Request.Path).
var commonTargets = [...]string{
	"/socket.io/?EIO=4&transport=websocket",
	"/socket.io/?EIO=3&transport=websocket",
	"/engine.io/?EIO=4&transport=websocket",
	"/engine.io/?EIO=3&transport=websocket",
}

// targetCode returns the index of target in commonTargets and whether it
// is there with path as its path.
func targetCode(target, path []byte) (byte, bool) {
	for i, t := range commonTargets {
		if string(target) == t {
			return byte(i), strings.HasPrefix(t, string(path))
		}
	}
	return 0, false
}

const (
	lineCode0   = 0x80
	nameCode0   = 0xC0
	keyField    = 0xFE
	escapeField = 0xFF
)

// wsKeyLen is the length of a WebSocket key's value: 16 bytes in base64.
const (
	wsKeyRaw = 16
	wsKeyLen = 24
)

// isRawKey reports whether value is the canonical base64 of 16 bytes, so
// that keyField stores it exactly, and decodes it into raw.
func isRawKey(value []byte, raw *[wsKeyRaw]byte) bool {
	if len(value) != wsKeyLen {
		return false
	}
	// Decode wants room for DecodedLen (18) whatever it finds.
	var dec [wsKeyLen * 3 / 4]byte
	if n, err := base64.StdEncoding.Decode(dec[:], value); err != nil || n != wsKeyRaw {
		return false
	}
	copy(raw[:], dec[:wsKeyRaw])
	// Decode ignores '\r' and '\n' and accepts nonzero padding bits: the
	// encoding back must give the value itself.
	var again [wsKeyLen]byte
	base64.StdEncoding.Encode(again[:], raw[:])
	return string(again[:]) == string(value)
}

// secWebSocketKey is the name keyField stands for.
const secWebSocketKey = "Sec-WebSocket-Key"

// codeOf returns the code appendField stores key: value with: a line
// code, a name code, escapeField for a name that must be escaped, or 0 for
// a field stored as received.
func codeOf(key, value []byte) byte {
	for i, l := range fieldLines {
		name, v, _ := strings.Cut(l, ": ")
		if string(value) == v && nameIs(key, name) {
			return byte(lineCode0 + i)
		}
	}
	var raw [wsKeyRaw]byte
	if nameIs(key, secWebSocketKey) && isRawKey(value, &raw) {
		return keyField
	}
	for i, name := range fieldNames {
		if nameIs(key, name) {
			return byte(nameCode0 + i)
		}
	}
	if len(key) > 0 && key[0] >= lineCode0 {
		return escapeField
	}
	return 0
}

// fieldLen returns the length appendField adds for a field whose code
// (codeOf) is c.
func fieldLen(c byte, key, value []byte) int {
	switch {
	case c == 0:
		return len(key) + 2 + len(value) + 2
	case c == escapeField:
		return 1 + len(key) + 2 + len(value) + 2
	case c == keyField:
		return 1 + wsKeyRaw
	case c >= nameCode0:
		return 1 + len(value) + 2
	}
	return 1
}

// appendField appends one header field to a compact copy; c is its code
// (codeOf).
func appendField(b []byte, c byte, key, value []byte) []byte {
	switch {
	case c == 0:
	case c == escapeField:
		b = append(b, escapeField)
	case c == keyField:
		var raw [wsKeyRaw]byte
		isRawKey(value, &raw)
		b = append(b, keyField)
		return append(b, raw[:]...)
	case c >= nameCode0:
		b = append(b, c)
		b = append(b, value...)
		return append(b, "\r\n"...)
	default:
		return append(b, c)
	}
	b = append(b, key...)
	b = append(b, ": "...)
	b = append(b, value...)
	return append(b, "\r\n"...)
}

// nextField decodes the field at the start of fields, as appendField
// stored it, and returns its name, its value and the fields after it.
func nextField(fields string) (key, value, rest string) {
	switch c := fields[0]; {
	case c >= lineCode0 && int(c) < lineCode0+len(fieldLines):
		key, value, _ = strings.Cut(fieldLines[c-lineCode0], ": ")
		return key, value, fields[1:]
	case c >= nameCode0 && int(c) < nameCode0+len(fieldNames):
		value, rest, _ = strings.Cut(fields[1:], "\r\n")
		return fieldNames[c-nameCode0], value, rest
	case c == keyField:
		return secWebSocketKey, base64.StdEncoding.EncodeToString([]byte(fields[1 : 1+wsKeyRaw])), fields[1+wsKeyRaw:]
	case c == escapeField:
		fields = fields[1:]
	}
	line, rest, _ := strings.Cut(fields, "\r\n")
	key, value, _ = strings.Cut(line, ": ")
	return key, value, rest
}

// countFields returns the number of fields in fields.
func countFields(fields string) int {
	n := 0
	for rest := fields; rest != ""; n++ {
		_, _, rest = nextField(rest)
	}
	return n
}

// nameIs reports whether key is name, ASCII letters compared without regard
// to case.
func nameIs(key []byte, name string) bool {
	if len(key) != len(name) {
		return false
	}
	for i := range key {
		a, b := key[i], name[i]
		if 'A' <= a && a <= 'Z' {
			a += 'a' - 'A'
		}
		if 'A' <= b && b <= 'Z' {
			b += 'a' - 'A'
		}
		if a != b {
			return false
		}
	}
	return true
}
