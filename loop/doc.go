// Package loop is sio-fast's reactor: the only package that imports gnet.
//
// Serve accepts TCP connections and hands each one to a small number of
// event loops (one goroutine each, epoll underneath). Everything above this
// package (httpx, engineio, socketio) sees only the types defined here:
// Handler, Conn, Loop and Timer. No gnet type crosses the package boundary,
// so the upper layers can be tested without sockets.
//
// Start runs the loops without a listener, for connections accepted
// elsewhere: Adopt moves a socket another server accepted (one hijacked from
// net/http) onto a loop, with the bytes already read from it; OpenPipe opens
// a connection without a socket, fed by Pipe.Send.
//
// # Goroutines
//
//   - Each event loop is one goroutine. Handler callbacks, Loop.Execute
//     tasks and timer callbacks for a connection all run on the goroutine of
//     the loop that owns it, one at a time. Methods documented as "loop
//     goroutine only" may be called only from there.
//   - One acceptor goroutine per listener accepts connections, applies the
//     connection cap and survives accept errors such as EMFILE.
//   - A connection given to Adopt without a pollable descriptor (a
//     *tls.Conn) is carried by a reader and a writer goroutine of its own.
//   - One ticker goroutine drives every loop's timing wheel by handing each
//     loop a single tick per interval (WithTickInterval). The timers due
//     within the current tick move to a fine level, and the loop wakes itself
//     through one runtime timer at the end of each non-empty fine slot, so
//     a timer fires within WithTimerPrecision of its deadline, never before.
//     There is no goroutine and no runtime timer per connection. Code that
//     observes a deadline checks it exactly (Loop.Due, Loop.FireIfDue).
//   - With WithTLS, one goroutine per connection runs its TLS handshake and
//     ends with it.
//
// # Writes
//
// Conn.Write (loop goroutine) queues bytes on the connection and the loop
// flushes every connection it touched at the end of the current turn, so a
// connection that receives several messages in one turn gets them in one
// writev(2). Conn.AsyncWrite (any goroutine) goes through the loop's inbox;
// one inbox drain is scheduled per loop however many writes are waiting.
// Writes to a closed Conn are dropped: a Conn value is never reused, so a
// stale handle can never reach a later connection that got the same file
// descriptor. The bytes queued per connection are capped (WithMaxQueuedBytes);
// a connection over the cap, or whose queued bytes made no progress for the
// write-stall deadline (WithWriteStallTimeout, 3 s), is closed with
// ErrSlowConsumer and a TCP reset. WithSendBuffer (SO_SNDBUF, 64 KiB) caps
// what the kernel holds for a client that stops reading.
//
// # TLS
//
// WithTLS makes Serve speak TLS (https://, wss://; HTTP/1.1 only). Each
// handshake runs on a goroutine of its own with crypto/tls; the handler
// sees the connection (OnOpen) once it succeeded and then gets plaintext.
// TLS 1.3 records with AES-GCM are sealed and opened on the loop, their
// ciphers built only while records flow; other versions and suites keep
// crypto/tls's record layer, driven without blocking. See
// docs/architecture.md, "TLS on the reactor".
//
// # Panics
//
// A panic in a Handler callback, a task or a timer is recovered on the loop,
// logged, and the connection concerned (if any) is closed with ErrPanic. The
// loop keeps serving its other connections.
package loop
