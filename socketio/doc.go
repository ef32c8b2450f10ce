// Package socketio is the Socket.IO server: protocol v5 over Engine.IO v4,
// and protocol v4 behaviour for Engine.IO v3 sessions (socket.io-client
// 2.x). It sits on top of engineio through the EngineSocket interface
// (engine.go) and never touches the network itself; the engine hands each
// new session to Server.HandleEngineSocket.
//
// Model (Node's names in parentheses): a Server owns Namespaces (io.of); a
// ParentNamespace (io.of(regex|fn)) creates child Namespaces on demand; each
// Engine.IO session may join several namespaces and gets one Socket per
// namespace. Rooms, broadcasts, fetchSockets and friends go through the
// namespace's Adapter; MemoryAdapter is the in-memory one, built on the
// sharded rooms.Index. BroadcastOperator is the immutable to/in/except/
// volatile/local/timeout builder.
//
// # Getting started
//
// NewServer, then NewEngine for its Engine.IO server, then loop.Serve to
// listen (see Example). HandleEngineSocket is the hook NewEngine installs;
// a program rarely calls it.
//
// # Where your code runs (read this)
//
// Every session has a home event loop; its packets are decoded there. By
// default (HandlerInline) event handlers, connection listeners, namespace
// middlewares, catch-all listeners and single-socket ack callbacks run ON
// THAT LOOP, which also serves thousands of other connections. They MUST NOT
// BLOCK: no database or network call, no EmitWithAck wait, no long
// computation. A watchdog logs (Warn, with namespace and event) and counts
// (Server.Stalls) every call that holds a loop longer than
// Config.StallThreshold (100 ms). For blocking work either:
//
//   - call Socket.Go(fn): fn runs on a per-socket goroutine, in order, created
//     on demand and gone when idle; emit or ack from there (Emit and AckFunc
//     are safe from any goroutine); or
//   - call Socket.GoConcurrent(fn): the same, but a socket's functions run in
//     parallel, at most Config.SocketConcurrency (16) at once, like Node's
//     async handlers (three 200 ms lookups answer after 200 ms, not 600); or
//   - set Config.HandlerMode = HandlerAsync: every handler of every socket then
//     runs on that socket's goroutine, in order, and may block (arguments are
//     copied once per event); or
//   - in a namespace middleware, start a goroutine and call next from it.
//
// Broadcast-ack callbacks (BroadcastAckCallback) run on a new goroutine.
// Panics in user code are recovered and logged with the configured slog
// logger; they never stop the loop.
//
// # Argument lifetimes (the one rule)
//
// The Args given to user code (an event handler, ack callback, packet
// middleware, catch-all listener), and any view of them from Args.Arg, may
// be used while that function runs, from any goroutine. After it returned
// they stay usable only where the server kept them:
//
//   - the event's AckFunc was not called yet (it will be, later, usually
//     with these Args: `go func() { ack(args) }()` works);
//   - the function called Socket.Go or Socket.GoConcurrent (the work they
//     queue may use the Args);
//   - HandlerAsync mode, and Args from Clone, NewArgs or EmitWithAck, which
//     are private copies and never expire.
//
// Any other use after the return fails, never silently: every accessor
// returns its zero value (nil, "", false) or ErrArgsExpired, Args.Err
// reports ErrArgsExpired, and Emit, AckFunc and broadcasts given such Args
// return ErrArgsExpired and send nothing. Stale bytes are never read and
// there is no data race: accessors read under a lease that the loop closes
// before it reuses the buffers. Call Clone to keep Args for good. Values the
// accessors return (strings, numbers, Raw's copy, Decode's result, Bytes'
// attachment) are the caller's own and never expire.
//
// # Concurrency contract
//
// Server, Namespace, ParentNamespace, BroadcastOperator, Adapter and the
// public Socket methods are safe from any goroutine unless a method says
// otherwise. Socket.Disconnect hops to the home loop (it may complete after
// it returns). Per-session state (decoder, namespace table) is touched only
// on the home loop. Args follow the rule above.
//
// # Cost model
//
// Incoming events are validated and split as raw JSON (no reflection, no
// decoding unless a handler asks). Emitting strings, numbers, bools,
// json.RawMessage, []byte and Args needs no reflection; other values go
// through parser.Deconstruct and jsonx. A broadcast encodes its packet once
// into one engineio.Prepared and hands one pooled task per loop that writes
// the same bytes to each recipient: to all, each loop walks its own table of
// the namespace's sockets (recipients.go); to rooms, the recipients are
// grouped by home loop while the room index is enumerated. A constant
// number of allocations whatever
// the audience (alloc_test.go), and no packet encoding when nobody local is
// selected.
//
// Config.Parser selects another packet format (socketio/parser/msgpack for
// socket.io-msgpack-parser). Such a format is translated to and from the
// same raw JSON + attachments form when a message arrives and when a packet
// is encoded (once per broadcast), so handlers and Args do not depend on it
// (codec.go).
package socketio
