package socketio

// DisconnectReason is why a socket left its namespace. The values are Node's
// exact strings (features.md 1.9); applications and the admin UI match on
// them.
type DisconnectReason string

// Disconnect reasons, server side.
const (
	// ReasonServerNamespaceDisconnect: Socket.Disconnect, DisconnectSockets.
	ReasonServerNamespaceDisconnect DisconnectReason = "server namespace disconnect"
	// ReasonClientNamespaceDisconnect: the client sent DISCONNECT.
	ReasonClientNamespaceDisconnect DisconnectReason = "client namespace disconnect"
	// ReasonServerShuttingDown: Server.Close (no DISCONNECT packet is sent).
	ReasonServerShuttingDown DisconnectReason = "server shutting down"
	// ReasonPingTimeout: no pong within pingTimeout (engine).
	ReasonPingTimeout DisconnectReason = "ping timeout"
	// ReasonTransportClose: the peer closed the transport (engine).
	ReasonTransportClose DisconnectReason = "transport close"
	// ReasonTransportError: transport failure (engine).
	ReasonTransportError DisconnectReason = "transport error"
	// ReasonParseError: the engine could not decode a packet.
	ReasonParseError DisconnectReason = "parse error"
	// ReasonForcedClose: the engine session was closed by the server, e.g.
	// after a Socket.IO-level decoding error or an invalid packet sequence.
	ReasonForcedClose DisconnectReason = "forced close"
	// ReasonForcedServerClose: the Socket.IO layer closed the session itself
	// (connectTimeout, Socket.Disconnect(true) on the remaining namespaces).
	ReasonForcedServerClose DisconnectReason = "forced server close"
)

// Recoverable reports whether Node's connection state recovery would keep the
// session for this reason.
func (r DisconnectReason) Recoverable() bool {
	switch r {
	case ReasonTransportError, ReasonTransportClose, ReasonForcedClose, ReasonPingTimeout,
		ReasonServerShuttingDown, ReasonForcedServerClose:
		return true // Node's RECOVERABLE_DISCONNECT_REASONS (socket.io lib/socket.ts)
	}
	return false
}
