// Package engineio is an Engine.IO server (protocol v4; v3 with
// Config.AllowEIO3) on sio-fast's event loops (package loop).
//
// A Server is a loop.Handler: pass it to loop.Serve. It is also an
// http.Handler, to mount on a net/http server or router (ServeHTTP): polling
// is then answered through net/http and WebSockets move onto a reactor the
// Server starts itself. It speaks HTTP
// long-polling (payloads joined by \x1e, binary as base64; the v3
// length-prefixed and XHR2 binary forms), WebSocket (one packet per
// message), the polling → WebSocket upgrade (2probe / 3probe / noop / 5),
// the heartbeat (v4: the server pings; v3: the client does), Node's error
// answers and connection_error reports, CORS, the session cookie, the
// header hooks, gzip/deflate compression of polling answers, and opt-in
// WebSocket permessage-deflate (Config.PerMessageDeflate; no context
// takeover, pooled flate state, inflated size capped at MaxHTTPBufferSize,
// broadcasts compressed once per Prepared).
//
// # Concurrency
//
// A session (Socket) lives on its home loop: the loop of the connection that
// made the handshake, and after an upgrade to a WebSocket on another loop,
// that WebSocket's loop (the session moves there, in order: rehome.go). Its
// state is touched only on its home loop, so it needs no lock; its events
// (a Handler set with SetHandler, or the OnMessage, OnClose, OnUpgrade and
// OnDrain callbacks) run there and must not block. The polling requests
// and the probe of a session may arrive on other loops: they decode there,
// then hand the packets to the home loop (Socket.Execute, which keeps each
// producer's order across the move); the home loop writes back with
// Conn.Write to connections on its own loop and Conn.AsyncWrite to the
// others. Methods
// say which goroutine may call them: "Safe from any goroutine" (Send,
// Close, ID, ...) or "Home loop only" (Writable, WritePrepared).
//
// The polling requests of one session take effect on the home loop in the
// order they were read, whichever loops read them (a ticket per request,
// order.go).
//
// # Heartbeat
//
// Each session's heartbeat is one timer on its home loop's wheel, which
// fires within the loop's timer precision (loop.WithTimerPrecision, 2 ms by
// default): a ping leaves pingInterval after the pong, as Node's timers
// send it. Every observation of a session (a polling request, a POST
// refused for its body included, an upgrade probe, a WebSocket frame, a
// send) first fires its heartbeat if already due, so a session past its
// pong deadline is closed with "ping timeout" before it is served, and a
// late polling request or probe gets 400 "Session ID unknown", as on Node
// (a probe read on a loop other than the session's gets its 101 first and
// is then closed). A refused POST takes its ticket like any other, so it
// closes the session in the order the requests were read. While a pong is
// awaited, the first other packet moves the deadline once (Engine.IO 6.6).
//
// The session registry is sharded and locked, as lookups come from every
// loop. Hooks in Config (AllowRequest, Headers, GenerateID, ...) run on an
// event loop and must not block.
package engineio
