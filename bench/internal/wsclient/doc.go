// Package wsclient is a minimal epoll-driven Socket.IO (v5 over Engine.IO v4,
// WebSocket transport, optionally reached through a polling handshake) client
// engine for load generation: a handful of
// worker goroutines each own an epoll instance and many non-blocking sockets,
// so 18,000 connections cost a few hundred bytes each plus kernel buffers,
// not a goroutine and two bufio buffers apiece.
//
// A connection goes through: TCP connect, HTTP/1.1 upgrade
// (`GET /socket.io/?EIO=4&transport=websocket`), the Engine.IO open packet,
// `40` and the server's `40{...}`. Then Handler.OnReady runs, Engine.IO pings
// (`2`) are answered with `3`, and every other Socket.IO packet is handed to
// Handler.OnPacket without its leading Engine.IO `4`.
//
// With Config.Transport = TransportPollingUpgrade a client starts the way a
// default socket.io-client does: a polling handshake
// (`GET /socket.io/?EIO=4&transport=polling`) on a first TCP connection,
// whose 200 response carries the open packet and the session id, then a
// second connection upgraded to WebSocket with that sid, `2probe`/`3probe`
// and `5` before the `40` (see polling.go). Each client still owns one
// socket at a time, driven by the same worker.
//
// With Config.Transport = TransportPolling a client never leaves HTTP
// long-polling: after the handshake it keeps one GET outstanding on its
// own keep-alive connection, and what it sends (its "40", pongs, Conn.Post)
// goes in POSTs on a pool of at most Config.PostConns (64) keep-alive connections the engine
// shares between all clients, one POST in flight per client (see
// pollonly.go).
//
// With Config.TLS every client speaks wss://: crypto/tls's handshake on a
// goroutine per connection while it lasts, then records opened on the
// worker from ciphertext lent to tls.Conn.Read (see tls.go).
//
// Reads go into one scratch buffer per worker; a connection keeps bytes only
// when a frame was split across reads. Writes go straight to the socket; a
// connection keeps a write buffer only while the kernel's is full.
//
// # Concurrency
//
// Handler methods run on the worker goroutine that owns the connection; they
// must not block. Conn.Send and Conn.Post may be called from any goroutine (a per-connection
// mutex serialises writers; over TLS, tls.Conn orders the records). Engine.Dial
// may be called from any goroutine.
package wsclient
