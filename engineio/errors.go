package engineio

import "strconv"

// Error codes of Engine.IO's HTTP error answers and connection_error
// events, with Node's exact messages.
const (
	CodeUnknownTransport   = 0 // "Transport unknown"
	CodeUnknownSID         = 1 // "Session ID unknown"
	CodeBadHandshakeMethod = 2 // "Bad handshake method"
	CodeBadRequest         = 3 // "Bad request"
	CodeForbidden          = 4 // "Forbidden"
	CodeUnsupportedVersion = 5 // "Unsupported protocol version"
)

var codeMessages = [...]string{
	"Transport unknown",
	"Session ID unknown",
	"Bad handshake method",
	"Bad request",
	"Forbidden",
	"Unsupported protocol version",
}

// ConnError describes a refused request, as Node's "connection_error" event
// does: the request, the code and message, and context such as the
// transport, sid or a name like "TRANSPORT_MISMATCH".
type ConnError struct {
	Req     *Request
	Code    int
	Message string
	Context map[string]string
}

func (e *ConnError) Error() string {
	return "engineio: " + e.Message + " (code " + strconv.Itoa(e.Code) + ")"
}

func newConnError(code int, msg string, kv ...string) *ConnError {
	if msg == "" {
		msg = codeMessages[code]
	}
	ctx := make(map[string]string, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		ctx[kv[i]] = kv[i+1]
	}
	return &ConnError{Code: code, Message: msg, Context: ctx}
}

// status is the HTTP status Node answers with: 403 for Forbidden, else 400.
func (e *ConnError) status() int {
	if e.Code == CodeForbidden {
		return 403
	}
	return 400
}

// Close reasons, Node's exact strings.
const (
	ReasonTransportClose = "transport close"
	ReasonTransportError = "transport error"
	ReasonPingTimeout    = "ping timeout"
	ReasonParseError     = "parse error"
	ReasonForcedClose    = "forced close"
	ReasonServerShutdown = "server shutting down"
)
