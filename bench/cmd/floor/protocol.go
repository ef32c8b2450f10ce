package main

import (
	"bytes"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"strconv"
)

// WebSocket opcodes (RFC 6455).
const (
	opText  = 0x1
	opClose = 0x8
	opPing  = 0x9
	opPong  = 0xA
)

const (
	maxHeader  = 8 << 10
	maxPayload = 1_000_000
)

var (
	errBadRequest = errors.New("floor: not a Socket.IO WebSocket upgrade")
	errBadFrame   = errors.New("floor: unsupported or malformed frame")
)

// parseUpgrade looks for a complete request head at the start of b. It
// returns n = 0 while the head is incomplete, else its length and the
// Sec-WebSocket-Key of a GET /socket.io/?EIO=4&transport=websocket upgrade.
func parseUpgrade(b []byte) (n int, key string, err error) {
	end := bytes.Index(b, []byte("\r\n\r\n"))
	if end < 0 {
		if len(b) > maxHeader {
			return 0, "", errBadRequest
		}
		return 0, "", nil
	}
	lines := bytes.Split(b[:end], []byte("\r\n"))
	f := bytes.Fields(lines[0])
	if len(f) != 3 || string(f[0]) != "GET" || !bytes.HasPrefix(f[2], []byte("HTTP/1.1")) {
		return 0, "", errBadRequest
	}
	path, query, _ := bytes.Cut(f[1], []byte("?"))
	if string(path) != "/socket.io/" || !hasParam(query, "EIO=4") || !hasParam(query, "transport=websocket") {
		return 0, "", errBadRequest
	}
	upgrade := false
	for _, l := range lines[1:] {
		name, value, ok := bytes.Cut(l, []byte(":"))
		if !ok {
			return 0, "", errBadRequest
		}
		value = bytes.TrimSpace(value)
		switch {
		case bytes.EqualFold(name, []byte("Upgrade")):
			upgrade = bytes.EqualFold(value, []byte("websocket"))
		case bytes.EqualFold(name, []byte("Sec-WebSocket-Key")):
			key = string(value)
		}
	}
	if !upgrade || key == "" {
		return 0, "", errBadRequest
	}
	return end + 4, key, nil
}

func hasParam(query []byte, kv string) bool {
	for _, p := range bytes.Split(query, []byte("&")) {
		if string(p) == kv {
			return true
		}
	}
	return false
}

// acceptKey computes Sec-WebSocket-Accept for a Sec-WebSocket-Key.
func acceptKey(key string) string {
	h := sha1.Sum([]byte(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
	return base64.StdEncoding.EncodeToString(h[:])
}

// parseFrame decodes the client frame at the head of b, unmasking its
// payload in place. n = 0 means the frame is not complete yet. Fragmented
// messages are not supported (siobench never sends them).
func parseFrame(b []byte) (op byte, payload []byte, n int, err error) {
	if len(b) < 2 {
		return 0, nil, 0, nil
	}
	fin, op := b[0]&0x80 != 0, b[0]&0x0F
	if !fin || b[0]&0x70 != 0 || b[1]&0x80 == 0 { // fragment, RSV bits, unmasked
		return 0, nil, 0, errBadFrame
	}
	size, h := uint64(b[1]&0x7F), 2
	switch size {
	case 126:
		if len(b) < 4 {
			return 0, nil, 0, nil
		}
		size, h = uint64(binary.BigEndian.Uint16(b[2:])), 4
	case 127:
		if len(b) < 10 {
			return 0, nil, 0, nil
		}
		size, h = binary.BigEndian.Uint64(b[2:]), 10
	}
	if size > maxPayload {
		return 0, nil, 0, errBadFrame
	}
	total := h + 4 + int(size)
	if len(b) < total {
		return 0, nil, 0, nil
	}
	mask := b[h : h+4]
	payload = b[h+4 : total]
	for i := range payload {
		payload[i] ^= mask[i&3]
	}
	return op, payload, total, nil
}

// appendFrame appends an unmasked server frame.
func appendFrame(dst []byte, op byte, p []byte) []byte {
	dst = append(dst, 0x80|op)
	switch n := len(p); {
	case n < 126:
		dst = append(dst, byte(n))
	case n < 1<<16:
		dst = binary.BigEndian.AppendUint16(append(dst, 126), uint16(n))
	default:
		dst = binary.BigEndian.AppendUint64(append(dst, 127), uint64(n))
	}
	return append(dst, p...)
}

// event is a Socket.IO EVENT packet of namespace /: 2<id>["name",args].
type event struct {
	ID   int64  // ack id, -1 when none was asked for
	Name []byte // event name
	Args []byte // raw JSON of the arguments after the name, "" if none
}

// parseEvent splits a Socket.IO EVENT packet (`2…`, without the Engine.IO
// "4"). It reads no JSON beyond the event name: the arguments stay raw.
func parseEvent(p []byte) (event, bool) {
	ev := event{ID: -1}
	if len(p) < 2 || p[0] != '2' {
		return ev, false
	}
	i := 1
	for i < len(p) && p[i] >= '0' && p[i] <= '9' {
		i++
	}
	if i > 1 {
		id, err := strconv.ParseInt(string(p[1:i]), 10, 64)
		if err != nil {
			return ev, false
		}
		ev.ID = id
	}
	if i+1 >= len(p) || p[i] != '[' || p[len(p)-1] != ']' {
		return ev, false
	}
	name, rest, ok := splitString(p[i+1 : len(p)-1])
	if !ok {
		return ev, false
	}
	ev.Name, ev.Args = name, rest
	return ev, true
}

// splitString reads the JSON string (without escapes) heading b and returns
// its contents and what follows its comma ("" when it was the last value).
func splitString(b []byte) (s, rest []byte, ok bool) {
	if len(b) < 2 || b[0] != '"' {
		return nil, nil, false
	}
	j := bytes.IndexByte(b[1:], '"')
	if j < 0 || bytes.IndexByte(b[1:1+j], '\\') >= 0 {
		return nil, nil, false
	}
	s, rest = b[1:1+j], b[2+j:]
	switch {
	case len(rest) == 0:
		return s, nil, true
	case rest[0] == ',':
		return s, rest[1:], true
	}
	return nil, nil, false
}
