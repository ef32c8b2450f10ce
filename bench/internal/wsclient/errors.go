package wsclient

import "errors"

// Errors reported to Handler.OnClose or returned by Engine methods.
var (
	ErrUpgrade    = errors.New("wsclient: WebSocket upgrade refused")
	ErrHeaderSize = errors.New("wsclient: HTTP response header too large")
	ErrProtocol   = errors.New("wsclient: unexpected Engine.IO/Socket.IO packet")
	ErrPeerClosed = errors.New("wsclient: connection closed by server")
	ErrClosed     = errors.New("wsclient: connection closed")
	ErrTableFull  = errors.New("wsclient: file descriptor beyond the connection table")

	// TransportPollingUpgrade only.
	ErrPolling     = errors.New("wsclient: polling handshake refused")
	ErrPollingBody = errors.New("wsclient: polling handshake body not Content-Length framed")
	ErrProbe       = errors.New("wsclient: upgrade probe not answered with 3probe")

	// TransportPolling only.
	ErrPollResponse = errors.New("wsclient: polling GET or POST answered with an error status")
	ErrNotPolling   = errors.New("wsclient: Post on a connection that does not poll")

	ErrTransport = errors.New("wsclient: unknown or unsupported transport")
)
