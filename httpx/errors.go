package httpx

// Error is a request rejection carrying the HTTP status to answer with.
//
// All values returned by this package are pre-built package variables, so a
// rejection never allocates and callers may compare with ==. Error values are
// immutable and safe to share between goroutines.
type Error struct {
	// Status is the HTTP status code to send (400, 413, 426, 431, 501, 505...).
	Status int
	// Message is a short human-readable reason; AppendErrorResponse uses it
	// as the text/plain body.
	Message string
	// ExtraHeaders holds pre-formatted header lines ("Key: Value\r\n") that
	// must accompany the response, e.g. "Sec-WebSocket-Version: 13\r\n" for
	// 426 or "Allow: GET\r\n" for 405. Empty for most errors.
	ExtraHeaders string

	text string // "httpx: " + Message, pre-built so Error() does not allocate
}

func newError(status int, msg, extra string) *Error {
	return &Error{Status: status, Message: msg, ExtraHeaders: extra, text: "httpx: " + msg}
}

// Error implements the error interface.
func (e *Error) Error() string {
	if e.text != "" {
		return e.text
	}
	return "httpx: " + e.Message
}

// Parse errors. After Parse returns one of these the request framing is lost:
// answer with AppendErrorResponse(dst, e, false) and close the connection.
var (
	// ErrBadRequest is the generic 400 for malformed syntax not covered below.
	ErrBadRequest = newError(400, "bad request", "")
	// ErrBadRequestLine: the request line is not "METHOD SP target SP HTTP/x.y".
	ErrBadRequestLine = newError(400, "malformed request line", "")
	// ErrBadTarget: the request-target has forbidden bytes or bad %-escapes.
	ErrBadTarget = newError(400, "malformed request target", "")
	// ErrBareLF: a line ended in LF without CR. We require CRLF (see doc.go).
	ErrBareLF = newError(400, "line not terminated by CRLF", "")
	// ErrBadHeader: a header line has an invalid name, a space before the
	// colon, no colon, or a control byte in the value.
	ErrBadHeader = newError(400, "malformed header line", "")
	// ErrObsFold: a header line starts with whitespace (obsolete line folding).
	ErrObsFold = newError(400, "obsolete header line folding", "")
	// ErrBadContentLength: Content-Length is not a plain decimal number.
	ErrBadContentLength = newError(400, "invalid Content-Length", "")
	// ErrDuplicateContentLength: more than one Content-Length field, even if equal.
	ErrDuplicateContentLength = newError(400, "duplicate Content-Length", "")
	// ErrLengthAndChunked: both Content-Length and Transfer-Encoding present.
	ErrLengthAndChunked = newError(400, "both Content-Length and Transfer-Encoding", "")
	// ErrTransferEncoding10: Transfer-Encoding in an HTTP/1.0 request (RFC 9112 §6.1).
	ErrTransferEncoding10 = newError(400, "Transfer-Encoding in HTTP/1.0 request", "")
	// ErrMissingHost: an HTTP/1.1 request without Host (RFC 9112 §3.2).
	ErrMissingHost = newError(400, "missing Host header", "")
	// ErrDuplicateHost: more than one Host field.
	ErrDuplicateHost = newError(400, "duplicate Host header", "")
	// ErrBadChunk: malformed chunk-size line, chunk terminator or trailer.
	ErrBadChunk = newError(400, "malformed chunked body", "")
	// ErrHeaderTooLarge: the header section exceeds Limits.MaxHeaderBytes.
	ErrHeaderTooLarge = newError(431, "request header section too large", "")
	// ErrTooManyHeaders: more than Limits.MaxHeaderCount fields.
	ErrTooManyHeaders = newError(431, "too many header fields", "")
	// ErrBodyTooLarge: the declared or de-chunked body exceeds Limits.MaxBodyBytes.
	ErrBodyTooLarge = newError(413, "request body too large", "")
	// ErrVersion: a well-formed version other than HTTP/1.0 and HTTP/1.1.
	ErrVersion = newError(505, "HTTP version not supported", "")
	// ErrNotImplemented: a Transfer-Encoding other than a single "chunked".
	ErrNotImplemented = newError(501, "transfer encoding not implemented", "")
	// ErrRequestTimeout is never returned by Parse; the connection layer
	// sends it when InProgress stayed true for too long.
	ErrRequestTimeout = newError(408, "request timeout", "")
)

// WebSocket upgrade errors returned by CheckUpgrade.
var (
	// ErrUpgradeMethod: the upgrade request is not a GET (405 with Allow: GET).
	ErrUpgradeMethod = newError(405, "websocket upgrade requires GET", "Allow: GET\r\n")
	// ErrUpgradeVersion: the upgrade request is not HTTP/1.1.
	ErrUpgradeVersion = newError(505, "websocket upgrade requires HTTP/1.1", "")
	// ErrUpgradeHost: no Host header.
	ErrUpgradeHost = newError(400, "websocket upgrade without Host", "")
	// ErrUpgradeHeader: Upgrade does not list the websocket token.
	ErrUpgradeHeader = newError(400, "missing Upgrade: websocket", "")
	// ErrUpgradeConnection: Connection does not list the upgrade token.
	ErrUpgradeConnection = newError(400, "missing Connection: upgrade", "")
	// ErrUpgradeWSVersion: Sec-WebSocket-Version is not 13 (426, RFC 6455 §4.4).
	ErrUpgradeWSVersion = newError(426, "unsupported Sec-WebSocket-Version",
		"Sec-WebSocket-Version: 13\r\n")
	// ErrUpgradeKey: Sec-WebSocket-Key is missing, repeated, or not the
	// base64 encoding of 16 bytes.
	ErrUpgradeKey = newError(400, "invalid Sec-WebSocket-Key", "")
)
