package parser

// Codec is a packet format other than this package's text format: the Go
// side of Node's `parser` server option (socket.io-msgpack-parser and the
// like). Such formats put every packet, binary values included, in one
// Engine.IO message; there are no attachments on the wire.
//
// A Codec translates to and from the form this package decodes to, so that
// a server and its handlers work the same whatever the format: Packet.Data is
// JSON text with each binary value replaced by a placeholder
// ({"_placeholder":true,"num":N}) and Packet.Attachments holds the values.
// Type is never BinaryEvent or BinaryAck on decode; on encode they are
// treated as Event and Ack.
//
// Implementations must be safe for concurrent use from any goroutine;
// socketio/parser/msgpack is one.
type Codec interface {
	// NewDecoder returns a decoder. intern, when not nil, turns a namespace
	// name (never "/") into a string, as Decoder.Intern does.
	NewDecoder(intern func(nsp []byte) string) CodecDecoder
	// AppendPacket appends p, encoded as one Engine.IO message, to dst and
	// reports whether that message is binary. It fails when p.Data is not
	// valid JSON.
	AppendPacket(dst []byte, p *Packet) (out []byte, binary bool, err error)
}

// CodecDecoder decodes whole packets, one Engine.IO message each. It is used
// from one goroutine at a time (a server lends it to a connection's event
// loop for one message).
type CodecDecoder interface {
	// Decode decodes one message. The packet is owned by the decoder and
	// valid until the next Decode or Reset; its Attachments are fresh copies
	// that may be kept. Errors satisfy errors.Is(err, ErrInvalidPacket).
	Decode(msg []byte, binary bool) (*Packet, error)
	// Reset drops the last packet (attachments can be large).
	Reset()
}

// IsReservedEventBytes is IsReservedEvent for a byte slice, without
// allocating. Safe from any goroutine.
func IsReservedEventBytes(name []byte) bool { return isReservedBytes(name) }
