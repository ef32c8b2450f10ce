package socketio

import "errors"

// Sentinel errors. Callers compare with errors.Is.
var (
	// ErrReservedEvent is returned when emitting an event name Node reserves
	// ("connect", "connect_error", "disconnect", "disconnecting",
	// "newListener", "removeListener").
	ErrReservedEvent = errors.New("socketio: reserved event name")
	// ErrReservedServerSideEvent is returned by ServerSideEmit for
	// "connect", "connection" and "new_namespace".
	ErrReservedServerSideEvent = errors.New("socketio: reserved server-side event name")
	// ErrDisconnected is returned when emitting with an ack on a socket that
	// is no longer connected.
	ErrDisconnected = errors.New("socketio: socket is disconnected")
	// ErrAckTimeout is the error given to ack callbacks when the deadline set
	// with Timeout passes. Its text is Node's, "operation has timed out",
	// without the package prefix, because applications match on it.
	ErrAckTimeout = errors.New("operation has timed out")
	// ErrParentNamespace is returned by FetchSockets on a parent (dynamic)
	// namespace, like Node's parent namespace which throws.
	ErrParentNamespace = errors.New("socketio: FetchSockets() is not supported on parent namespaces")
	// ErrServerClosed is returned by operations on a closed Server.
	ErrServerClosed = errors.New("socketio: server closed")
	// ErrBadArgument is returned when an emit argument cannot be encoded as
	// JSON.
	ErrBadArgument = errors.New("socketio: argument cannot be encoded")
	// ErrNoArgument is returned by the Args accessors for an index out of
	// range.
	ErrNoArgument = errors.New("socketio: no argument at this index")
	// ErrAckSent is returned by an AckFunc called a second time: only the
	// first call answers the client.
	ErrAckSent = errors.New("socketio: ack already sent")
	// ErrArgsExpired is returned when Args are used after the handler (or
	// ack callback, middleware, listener) they were given to returned and
	// the server did not keep them (see Args). Clone them to keep them.
	ErrArgsExpired = errors.New("socketio: Args used after their handler returned (Clone them to keep them)")
)

// ConnectError is an error a namespace middleware returns to refuse a
// connection with extra data. The client receives CONNECT_ERROR
// {"message":Message,"data":Data} (protocol v4 / Engine.IO v3 clients get
// Data, or Message when Data is nil, as a plain JSON string). Any other error
// value is sent as {"message":err.Error()}.
type ConnectError struct {
	Message string
	Data    any // encoded with jsonx; nil omits the field
}

// Error returns the message.
func (e *ConnectError) Error() string { return e.Message }
