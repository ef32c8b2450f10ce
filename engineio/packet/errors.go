package packet

import "errors"

// Sentinel errors returned by the decoders. They are pre-built so that the
// hot paths never format an error; match them with errors.Is or ==.
var (
	// ErrEmpty reports an empty packet or an empty payload: an empty
	// WebSocket text frame, an empty HTTP body, "a\x1e\x1eb", a trailing
	// 0x1E, or a zero length in a v3 binary payload.
	ErrEmpty = errors.New("packet: empty packet")

	// ErrBadType reports a type that is not 0-6 (the digit in text form,
	// the raw byte in v3 binary form), e.g. the text frame "abc".
	ErrBadType = errors.New("packet: invalid packet type")

	// ErrBadBase64 reports a "b" packet whose data is not valid base64.
	ErrBadBase64 = errors.New("packet: invalid base64 data")

	// ErrBadLength reports a v3 length prefix that is missing, contains a
	// non-digit, lacks its terminator (':' or 0xFF), declares more than the
	// remaining input, or ends inside a character (half a surrogate pair).
	ErrBadLength = errors.New("packet: invalid length prefix")

	// ErrBadFormat reports a v3 binary payload whose packet marker byte is
	// neither 0x00 (text) nor 0x01 (binary).
	ErrBadFormat = errors.New("packet: invalid payload framing")
)
