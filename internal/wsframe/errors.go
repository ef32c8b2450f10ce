package wsframe

import (
	"errors"

	"github.com/gobwas/ws"
)

// ErrShort is returned by ParseHeader when buf does not yet hold a whole
// header; the caller should wait for more bytes. It is not a protocol error.
var ErrShort = errors.New("wsframe: need more bytes")

// CloseError is a protocol failure of the peer. Code is the close status to
// send before closing the connection; Reason is a short English description
// (safe to send as the close reason: ASCII, under 123 bytes).
//
// All CloseError values are pre-built package variables (ErrXxx), so they can
// be compared with == and returning them never allocates.
type CloseError struct {
	Code   ws.StatusCode
	Reason string
}

// Error implements error.
func (e *CloseError) Error() string { return "wsframe: " + e.Reason }

// Protocol errors returned by Reader.Next and ParseHeader. Safe to share
// between goroutines; never modify them.
var (
	ErrMaskRequired     = &CloseError{ws.StatusProtocolError, "client frame is not masked"}
	ErrMaskUnexpected   = &CloseError{ws.StatusProtocolError, "server frame is masked"}
	ErrRsv              = &CloseError{ws.StatusProtocolError, "RSV bits set without a negotiated extension"}
	ErrOpCode           = &CloseError{ws.StatusProtocolError, "reserved opcode"}
	ErrControlTooLong   = &CloseError{ws.StatusProtocolError, "control frame payload over 125 bytes"}
	ErrControlFragment  = &CloseError{ws.StatusProtocolError, "fragmented control frame"}
	ErrContinuation     = &CloseError{ws.StatusProtocolError, "continuation frame outside a fragmented message"}
	ErrExpectedContinue = &CloseError{ws.StatusProtocolError, "new data frame inside a fragmented message"}
	ErrLengthMSB        = &CloseError{ws.StatusProtocolError, "64-bit payload length has its top bit set"}
	ErrProtocol         = &CloseError{ws.StatusProtocolError, "protocol error"}
	ErrCloseShort       = &CloseError{ws.StatusProtocolError, "close frame payload of 1 byte"}
	ErrCloseCode        = &CloseError{ws.StatusProtocolError, "invalid close status code"}
	ErrCloseReasonUTF8  = &CloseError{ws.StatusInvalidFramePayloadData, "invalid UTF-8 in close reason"}
	ErrInvalidUTF8      = &CloseError{ws.StatusInvalidFramePayloadData, "invalid UTF-8 in text message"}
	ErrTooBig           = &CloseError{ws.StatusMessageTooBig, "message exceeds the size limit"}
	// ErrInflate is returned by Inflate for data that is not a valid
	// permessage-deflate payload (1007, as the Node "ws" library).
	ErrInflate = &CloseError{ws.StatusInvalidFramePayloadData, "invalid compressed message"}
)

// CloseCode returns the close status to send for err: the Code of a
// *CloseError, or 1011 (internal error) for anything else. Safe from any
// goroutine.
func CloseCode(err error) ws.StatusCode {
	var ce *CloseError
	if errors.As(err, &ce) {
		return ce.Code
	}
	return ws.StatusInternalServerError
}

// fromProtocolError maps the errors of ws.CheckHeader onto our CloseErrors,
// so callers see one error type carrying the close code.
func fromProtocolError(err error) error {
	switch err {
	case ws.ErrProtocolOpCodeReserved:
		return ErrOpCode
	case ws.ErrProtocolControlPayloadOverflow:
		return ErrControlTooLong
	case ws.ErrProtocolControlNotFinal:
		return ErrControlFragment
	case ws.ErrProtocolNonZeroRsv:
		return ErrRsv
	case ws.ErrProtocolMaskRequired:
		return ErrMaskRequired
	case ws.ErrProtocolMaskUnexpected:
		return ErrMaskUnexpected
	case ws.ErrProtocolContinuationExpected:
		return ErrExpectedContinue
	case ws.ErrProtocolContinuationUnexpected:
		return ErrContinuation
	default:
		return ErrProtocol
	}
}
