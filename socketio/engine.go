package socketio

import (
	"net/http"
	"net/netip"
	"net/url"

	"github.com/sio-fast/sio-fast/engineio"
)

// Executor runs a function on an event loop. Values are comparable (pointers):
// the broadcast path uses them as map keys to group recipients so that a
// broadcast costs one hand-off per loop, not one per recipient.
type Executor = engineio.Executor

// EngineSocket is one Engine.IO session (implemented by *engineio.Socket).
// socketio talks to the engine only through this interface, which is what
// lets the package be tested against an in-memory fake.
type EngineSocket interface {
	ID() string                 // engine sid (NOT the Socket.IO socket id in v5)
	Protocol() int              // 4, or 3 for Engine.IO v3 clients (socket.io-client 2.x)
	Transport() string          // "polling" or "websocket" (changes on upgrade)
	RemoteAddr() netip.AddrPort // remote address of the handshake request
	Header() http.Header        // handshake request headers (read-only copy)
	Query() url.Values          // handshake query (read-only copy)
	URL() string                // handshake request URL (path + query)
	Secure() bool               // handshake arrived over TLS
	Home() Executor             // the loop on which this session's callbacks run ("home loop"); an upgrade may move it

	// Execute runs fn on the home loop, after everything handed to the
	// session before it from the same goroutine (Send, Close, Execute),
	// across a move of the home. Safe from any goroutine.
	Execute(fn func())
	// OnHome reports whether the session may be touched now on e, the loop
	// running a broadcast's batch for it: e is still its home and no move
	// there waits for older work. LOOP e ONLY.
	OnHome(e Executor) bool
	// Reroute runs fn for the session where OnHome(e) was false, keeping
	// the place of the batch queued on e (queued with
	// engineio.ExecuteUnlessMoved) in the session's order. LOOP e ONLY.
	Reroute(e Executor, fn func())

	// Send queues messages (one Socket.IO packet = one text message + one
	// binary message per attachment; they stay contiguous). Takes ownership of
	// the bytes. Safe from any goroutine; messages sent from one goroutine
	// arrive in order.
	Send(msgs ...engineio.Message)
	// SendNow sends one message at once without taking its bytes (they may
	// be reused when it returns). HOME LOOP ONLY; it may overtake a Send
	// still waiting for the home loop.
	SendNow(m engineio.Message)
	// WritePrepared writes pre-encoded messages. HOME LOOP ONLY. When volatile
	// is true and the transport is not writable right now the messages are
	// dropped and false is returned.
	WritePrepared(p *engineio.Prepared, volatile bool) bool
	// Close closes the session ("forced close" on the engine side). Safe from
	// any goroutine.
	Close()
	// CloseNow closes the session at once, running the close callback with
	// "forced close", when its transport can take the close now (a
	// WebSocket, or a polling GET waiting with nothing queued), and reports
	// whether it did; otherwise it changes nothing. HOME LOOP ONLY.
	CloseNow() bool

	// SetHandler sets the receiver of the session's messages and of its
	// close; call it before the connection callback returns. Its methods run
	// on the home loop; OnMessage's data is valid only during the call.
	SetHandler(h engineio.Handler)
}

// *engineio.Socket is the production EngineSocket.
var _ EngineSocket = (*engineio.Socket)(nil)
