package msgpack

import (
	"errors"
	"fmt"

	"github.com/sio-fast/sio-fast/socketio/parser"
)

// Errors of this package; all satisfy errors.Is(err, parser.ErrInvalidPacket)
// (a server closes the connection on any of them, as Node does). Decoding
// also returns parser's ErrUnknownType, ErrInvalidPayload,
// ErrInvalidAckID, ErrReservedEvent and ErrUnexpectedText.
var (
	ErrMalformed        = fmt.Errorf("msgpack: malformed or truncated value: %w", parser.ErrInvalidPacket)
	ErrTrailingBytes    = fmt.Errorf("msgpack: trailing bytes after the packet: %w", parser.ErrInvalidPacket)
	ErrInvalidNamespace = fmt.Errorf("msgpack: invalid namespace: %w", parser.ErrInvalidPacket)
	ErrUnsupportedKey   = fmt.Errorf("msgpack: map key is not a string, number, boolean or nil: %w", parser.ErrInvalidPacket)
	ErrTooDeep          = fmt.Errorf("msgpack: value nested too deeply: %w", parser.ErrInvalidPacket)
	// ErrInvalidJSON is returned by AppendPacket for a payload that is not
	// valid JSON (a json.RawMessage argument, say).
	ErrInvalidJSON = errors.New("msgpack: payload is not valid JSON")
)
