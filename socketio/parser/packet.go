package parser

import "strings"

// Type is the Socket.IO packet type, the first character of a text packet.
type Type byte

// Packet types (socket.io-protocol v5; v4 calls ConnectError "ERROR").
const (
	Connect      Type = 0
	Disconnect   Type = 1
	Event        Type = 2
	Ack          Type = 3
	ConnectError Type = 4
	BinaryEvent  Type = 5
	BinaryAck    Type = 6
)

// MainNamespace is the namespace of packets that carry none. Decoded packets use
// this constant, so comparing against it never allocates.
const MainNamespace = "/"

// DefaultMaxAttachments is Node's default per-packet attachment cap.
const DefaultMaxAttachments = 10

// maxAckID is JavaScript's Number.MAX_SAFE_INTEGER: larger ids would not
// survive the round trip through a JS client.
const maxAckID = 1<<53 - 1

var typeNames = [...]string{"CONNECT", "DISCONNECT", "EVENT", "ACK", "CONNECT_ERROR", "BINARY_EVENT", "BINARY_ACK"}

// String returns the protocol name of t (e.g. "BINARY_EVENT").
func (t Type) String() string {
	if int(t) < len(typeNames) {
		return typeNames[t]
	}
	return "UNKNOWN"
}

// IsBinary reports whether packets of type t carry an attachment count.
func (t Type) IsBinary() bool { return t == BinaryEvent || t == BinaryAck }

// Valid reports whether t is one of the seven defined types.
func (t Type) Valid() bool { return t <= BinaryAck }

// Packet is one decoded or to-be-encoded Socket.IO packet.
//
// Lifetime: a *Packet returned by a Decoder is owned by that Decoder and valid
// until its next call; Data aliases the text message passed to DecodeText (or,
// for binary packets, a Decoder-owned copy). Attachments are freshly allocated
// per packet and may be kept by the caller.
type Packet struct {
	Type Type
	// Namespace is MainNamespace when the packet names none. The encoder treats
	// "" like "/".
	Namespace string
	// ID is the ack id, -1 when absent.
	ID int64
	// Data is the raw JSON payload (placeholders still in place for binary
	// packets), nil when absent.
	Data []byte
	// Attachments are the binary attachments in order.
	Attachments [][]byte
}

var reserved = [...]string{"connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"}

// IsReservedEvent reports whether name is an event name a client may not send
// and a server may not emit (Node: RESERVED_EVENTS). Safe from any goroutine.
func IsReservedEvent(name string) bool {
	for _, r := range reserved {
		if name == r {
			return true
		}
	}
	return false
}

// isReservedBytes is IsReservedEvent for a byte slice, without converting it
// (a comparison with string(b) does not allocate, a call argument may).
func isReservedBytes(b []byte) bool {
	for _, r := range reserved {
		if string(b) == r {
			return true
		}
	}
	return false
}

// SplitQuery splits a protocol v4 (Engine.IO v3) CONNECT namespace such as
// "/admin?token=1" into the namespace name and the raw query string (without
// "?"); Node parses that query as the auth data of v2 clients. Safe from any
// goroutine.
func SplitQuery(nsp string) (name, query string) {
	name, query, _ = strings.Cut(nsp, "?")
	return name, query
}
