package parser

import "errors"

// decodeError is the concrete type of every decoding sentinel; it matches
// ErrInvalidPacket under errors.Is so callers can treat "any protocol violation
// → close the connection" with one check.
type decodeError struct{ msg string }

func (e *decodeError) Error() string { return e.msg }

// Is reports that every decode error is also an ErrInvalidPacket.
func (e *decodeError) Is(target error) bool { return target == ErrInvalidPacket }

// ErrInvalidPacket matches (errors.Is) every error the decoder and the event
// helpers return for malformed input. Node closes the whole Engine.IO connection
// on any of them.
var ErrInvalidPacket = errors.New("parser: invalid packet")

// Decoding errors. All of them satisfy errors.Is(err, ErrInvalidPacket).
var (
	ErrEmpty              error = &decodeError{"parser: empty packet"}
	ErrUnknownType        error = &decodeError{"parser: unknown packet type"}
	ErrInvalidAttachments error = &decodeError{"parser: illegal attachments"}
	ErrTooManyAttachments error = &decodeError{"parser: too many attachments"}
	ErrInvalidAckID       error = &decodeError{"parser: invalid ack id"}
	ErrInvalidJSON        error = &decodeError{"parser: invalid JSON payload"}
	ErrInvalidPayload     error = &decodeError{"parser: invalid payload for packet type"}
	ErrReservedEvent      error = &decodeError{"parser: reserved event name"}
	ErrInvalidPlaceholder error = &decodeError{"parser: illegal attachment placeholder"}
	ErrUnexpectedText     error = &decodeError{"parser: got text data while reconstructing a packet"}
	ErrUnexpectedBinary   error = &decodeError{"parser: got binary data when not reconstructing a packet"}
)

// Encoding errors (Deconstruct).
var (
	ErrUnsupportedMapKey = errors.New("parser: unsupported map key type")
	ErrTooDeep           = errors.New("parser: value nested too deeply (cycle?)")
)
