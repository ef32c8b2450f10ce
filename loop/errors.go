package loop

import "errors"

// Errors passed to Handler.OnClose, or returned by Conn methods. They are
// pre-built values so that hot paths never format errors.
var (
	// ErrClosed is returned by writes to a connection that is closed or closing.
	ErrClosed = errors.New("loop: connection closed")
	// ErrSlowConsumer closes a connection whose queued outbound bytes exceeded
	// the cap set by WithMaxQueuedBytes, or made no progress for the deadline
	// set by WithWriteStallTimeout: the peer does not read fast enough.
	ErrSlowConsumer = errors.New("loop: slow consumer: outbound queue over limit or stalled")
	// ErrShutdown closes connections that were still open when a graceful
	// shutdown reached its deadline or finished draining.
	ErrShutdown = errors.New("loop: server shutting down")
	// ErrPanic closes a connection whose handler panicked.
	ErrPanic = errors.New("loop: handler panicked")
	// ErrServerClosed is returned by a second Server.Shutdown (after waiting
	// for the first to finish).
	ErrServerClosed = errors.New("loop: server closed")
	// ErrLocalClose is reported to OnClose when the handler closed the
	// connection itself without giving a reason.
	ErrLocalClose = errors.New("loop: closed by server")
)
