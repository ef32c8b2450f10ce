package packet

// Type is an Engine.IO packet type. The numeric value is the one on the
// wire: the ASCII digit '0'+Type in text forms, the raw byte in v3 binary
// forms.
type Type byte

// The Engine.IO packet types (protocol.md §2.3).
const (
	Open    Type = 0 // server → client: handshake JSON
	Close   Type = 1 // either side: end the session
	Ping    Type = 2 // v4: server heartbeat; "2probe" during upgrade
	Pong    Type = 3 // v4: client heartbeat answer; "3probe" during upgrade
	Message Type = 4 // application data, text or binary
	Upgrade Type = 5 // client: completes the transport upgrade
	Noop    Type = 6 // server: releases a pending polling GET

	maxType = Noop
)

// typeNames is indexed by Type; String must not allocate.
var typeNames = [...]string{"open", "close", "ping", "pong", "message", "upgrade", "noop"}

// String returns the protocol name of t ("open", "message", ...) or
// "invalid" for values above 6. Safe from any goroutine.
func (t Type) String() string {
	if t > maxType {
		return "invalid"
	}
	return typeNames[t]
}

// Valid reports whether t is one of the seven protocol types.
// Safe from any goroutine.
func (t Type) Valid() bool { return t <= maxType }

// digit returns the text-form character of t. Encoders trust the caller to
// pass a valid type (an invalid one is a programming error, not peer input).
func (t Type) digit() byte { return '0' + byte(t) }

// Packet is one decoded or to-be-encoded Engine.IO packet.
//
// On decode, Data aliases the decoder's input or scratch buffer (see the
// package documentation for the lifetime); on encode it is only read.
// Binary marks data that travels as raw bytes (a binary WebSocket frame or
// a base64 "b" packet in polling) instead of text. In v4 only Message
// packets can be binary; v3 allows a binary body on any type.
type Packet struct {
	Type   Type
	Data   []byte
	Binary bool
}

// Clone returns a copy of p whose Data is owned by the caller, for keeping a
// decoded packet beyond the lifetime of the decoder's input or scratch.
// Safe from any goroutine.
func (p Packet) Clone() Packet {
	if p.Data != nil {
		p.Data = append(make([]byte, 0, len(p.Data)), p.Data...)
	}
	return p
}
