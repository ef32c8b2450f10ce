package loop

// Handler receives a connection's events. All three methods run on the
// connection's loop goroutine, one at a time per loop, and must not block:
// a blocked callback stalls every connection of that loop.
type Handler interface {
	// OnOpen is called once when the connection is registered on its loop.
	OnOpen(c *Conn)
	// OnData is called when bytes arrived. in holds every byte received and
	// not yet consumed, oldest first. The handler returns how many leading
	// bytes it consumed; the rest is kept and offered again, with any new
	// bytes appended, on the next call. in is writable (WebSocket unmasking
	// happens in place) and valid only until OnData returns: anything kept
	// longer must be copied.
	OnData(c *Conn, in []byte) (consumed int)
	// OnClose is called once when the connection is gone. err tells why:
	// io.EOF when the peer closed, a syscall error, ErrSlowConsumer,
	// ErrShutdown, ErrPanic, or the error given to Conn.CloseWithError.
	// After OnClose returns the Conn accepts no more writes.
	OnClose(c *Conn, err error)
}

// Shutdowner is implemented by handlers that want to say goodbye during a
// graceful shutdown (an Engine.IO close packet, a WebSocket close frame).
// OnShutdown runs on the connection's loop goroutine; it should queue its
// final bytes and call c.CloseAfterFlush. Handlers that do not implement it
// get CloseAfterFlush(ErrShutdown) on every connection.
type Shutdowner interface {
	OnShutdown(c *Conn)
}
