package engineio

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"sync/atomic"
	"unsafe"

	"github.com/sio-fast/sio-fast/engineio/packet"
	"github.com/sio-fast/sio-fast/internal/debuglog"
	"github.com/sio-fast/sio-fast/loop"
)

// Ready states, as Node's readyState.
const (
	StateOpen    = "open"
	StateClosing = "closing"
	StateClosed  = "closed"
)

// Socket is one Engine.IO session. Its state lives on its home loop: the
// loop of the connection that made the handshake, then, once it upgraded to
// a WebSocket, that WebSocket's loop (upgrade.go moves it). Callbacks run
// there; the polling requests and the probe of the session may live on other
// loops and hand their work to the home loop, so the session needs no lock.
//
// What a broadcast reads per session (heartbeat, home, ws and the one-byte
// flags) fills the first 64 bytes, one cache line of the 128-byte object.
type Socket struct {
	heartbeat loop.Timer // ping schedule, pong deadline, close wait
	home      loop.Home  // moves to the WebSocket's loop at an upgrade (upgrade.go)
	ws        *loop.Conn // active WebSocket; home loop only, like every field but state

	// The eight one-byte fields fill one word: at 100,000 sessions every
	// padding byte counts (128 bytes in all).
	proto       uint8 // 4, or 3
	closed      bool
	closing     bool // server-initiated close over polling waits for a GET
	closingDown bool // that close is the server shutting down (else forced)
	wsDeflate   bool // ws negotiated permessage-deflate
	pongPending bool // v4: ping sent, pong awaited
	pongGraced  bool // v4: another packet already moved this pong deadline
	waiting     bool // requests wait in srv.parked for their turn

	srv *Server
	id  string
	req *Request
	// state is the ready state and the transport, written on the home loop
	// and read from any goroutine (ReadyState, Transport), and, from any
	// loop, whether a POST is being decoded and the count of requests that
	// arrived (order.go) in one word.
	state atomic.Uint32
	// applied is the ticket of the last request applied (order.go).
	applied uint32
	poll    *pollState // nil for a session on WebSocket (see pollState)

	h Handler // nil until set; an interface, so one per session and no closures
}

// The bits of Socket.state: the ready state in the low two, then whether the
// transport is WebSocket.
const (
	stateOpen    = 0
	stateClosing = 1
	stateClosed  = 2
	stateReady   = 3 // mask
	stateWS      = 4
)

func newSocket(srv *Server, id string, home *loop.Loop, proto int, b64 bool, req *Request, websocket bool) *Socket {
	s := &Socket{srv: srv, id: id, proto: uint8(proto), req: req}
	s.home.Init(home)
	if websocket {
		s.state.Store(stateWS)
	} else {
		s.poll = &pollState{b64: b64}
	}
	s.heartbeat.InitWith(fireHeartbeat)
	return s
}

// fireHeartbeat is the heartbeat timer's callback. A top-level function
// that finds the Socket from its embedded Timer, rather than the method
// value s.onHeartbeat: that would be one more allocation (16 bytes) kept by
// every idle session.
func fireHeartbeat(t *loop.Timer) {
	(*Socket)(unsafe.Add(unsafe.Pointer(t), -int(unsafe.Offsetof(Socket{}.heartbeat)))).onHeartbeat()
}

// setReady records the ready state. Home loop only (the single writer of
// these bits; other loops change the others).
func (s *Socket) setReady(ready uint32) {
	for {
		old := s.state.Load()
		if s.state.CompareAndSwap(old, old&^stateReady|ready) {
			return
		}
	}
}

// ID returns the session id. Safe from any goroutine.
func (s *Socket) ID() string { return s.id }

// Protocol returns the Engine.IO protocol version: 4, or 3. Safe from any
// goroutine.
func (s *Socket) Protocol() int { return int(s.proto) }

// Transport returns "polling" or "websocket". Safe from any goroutine.
func (s *Socket) Transport() string {
	if s.state.Load()&stateWS != 0 {
		return transportWebSocket
	}
	return transportPolling
}

// ReadyState returns "open", "closing" or "closed". Safe from any goroutine.
func (s *Socket) ReadyState() string {
	switch s.state.Load() & stateReady {
	case stateClosing:
		return StateClosing
	case stateClosed:
		return StateClosed
	}
	return StateOpen
}

// RemoteAddr returns the address of the handshake request's peer. Safe
// from any goroutine.
func (s *Socket) RemoteAddr() netip.AddrPort { return s.req.RemoteAddr() }

// Request returns the handshake request. It must not be modified. Safe from
// any goroutine.
func (s *Socket) Request() *Request { return s.req }

// Header returns the handshake request's headers (read-only). Safe from any
// goroutine.
func (s *Socket) Header() http.Header { return s.req.Header() }

// Query returns the handshake request's query (read-only). Safe from any
// goroutine.
func (s *Socket) Query() url.Values { return s.req.Query() }

// URL returns the handshake request's path and query. Safe from any goroutine.
func (s *Socket) URL() string { return s.req.URL() }

// Secure reports whether the handshake came over TLS (as told by
// X-Forwarded-Proto: this server speaks plain TCP). Safe from any goroutine.
func (s *Socket) Secure() bool { return s.req.Secure() }

// Executor runs functions on an event loop. Values are comparable: group
// work by them so that a fan-out costs one hand-off per loop.
type Executor interface{ Execute(fn func()) }

// Home returns the loop on which the session's callbacks run. It changes
// once at most: when an upgrade moves the session to its WebSocket's loop.
// Safe from any goroutine.
func (s *Socket) Home() Executor { return s.home.Loop() }

// homeLoop is Home as a loop.
func (s *Socket) homeLoop() *loop.Loop { return s.home.Loop() }

// Execute runs fn on the session's home loop, after everything handed to the
// session before it from the same goroutine (Send, Close, Execute), also
// across the move of an upgrade. Safe from any goroutine.
func (s *Socket) Execute(fn func()) { s.home.Execute(fn) }

// SetHandler sets the receiver of the session's events, replacing any set
// before (including callbacks set with OnMessage and the like). h may also
// implement UpgradeHandler and DrainHandler. Set it in the connection
// callback, before that returns. Home loop only.
func (s *Socket) SetHandler(h Handler) { s.h = h }

// OnMessage sets the message callback. data is valid only during the call.
// Set callbacks in the connection callback, before it returns. Home loop only.
func (s *Socket) OnMessage(fn func(data []byte, binary bool)) { s.funcs().message = fn }

// OnClose sets the close callback; reason is one of the Reason constants.
// Home loop only.
func (s *Socket) OnClose(fn func(reason, description string)) { s.funcs().close = fn }

// OnUpgrade sets the callback run when the session moved to WebSocket, on
// its home from then on (the WebSocket's loop). Home loop only.
func (s *Socket) OnUpgrade(fn func()) { s.funcs().upgrade = fn }

// OnDrain sets the callback run when the polling write buffer was flushed.
// Home loop only.
func (s *Socket) OnDrain(fn func()) { s.funcs().drain = fn }

// funcs returns the session's callback set, installing one in place of a
// Handler set with SetHandler.
func (s *Socket) funcs() *funcHandler {
	f, ok := s.h.(*funcHandler)
	if !ok {
		f = &funcHandler{}
		s.h = f
	}
	return f
}

// Send queues messages for the client, in order and contiguously. It takes
// ownership of the bytes. Messages sent from one goroutine arrive in order.
// Safe from any goroutine.
func (s *Socket) Send(msgs ...Message) {
	s.home.Execute(func() { s.sendMessages(msgs) })
}

// SendNow sends one message from the home loop at once, without taking
// its bytes: a WebSocket frame is built in the loop's scratch memory, and
// polling keeps a copy. For replies built in pooled buffers (Socket.IO's
// CONNECT answer). It goes out after everything sent before from the home
// loop with SendNow or WritePrepared, but may overtake a Send still waiting
// in the loop's inbox. Home loop only.
func (s *Socket) SendNow(m Message) {
	if s.expired() || s.closing {
		return
	}
	if s.ws != nil && s.home.On(s.ws.Loop()) {
		room := s.homeLoop().Scratch(len(m.Data) + maxFrameOverhead)
		_ = s.ws.Write(appendDeflatedWSFrame(room[:0], m, s.proto == 3, s.deflate()))
		return
	}
	m.Data = bytes.Clone(m.Data)
	msgs := [1]Message{m}
	s.sendMessages(msgs[:])
}

// maxFrameOverhead bounds what a WebSocket frame adds to a message: a
// server frame's header (at most 10 bytes) and the Engine.IO type byte.
const maxFrameOverhead = 16

// SendText queues one text message. Safe from any goroutine.
func (s *Socket) SendText(data []byte) { s.Send(Message{Data: data}) }

// SendBinary queues one binary message. Safe from any goroutine.
func (s *Socket) SendBinary(data []byte) { s.Send(Message{Data: data, Binary: true}) }

// Close closes the session ("forced close"): queued messages are delivered
// first. Safe from any goroutine.
func (s *Socket) Close() {
	s.home.Execute(func() { s.closeWith(ReasonForcedClose, "") })
}

// CloseNow closes the session at once when its transport can take the
// close now, as Node's engine does: a WebSocket, or a polling GET waiting
// with nothing queued (it gets the close packet). The close callback runs,
// with "forced close", before CloseNow returns true. Otherwise nothing
// changes and it returns false: Close then waits for the client's next GET.
// Node's Socket.IO tells the two apart for its "invalid state" close
// ("forced close" or "forced server close"). Home loop only.
func (s *Socket) CloseNow() bool {
	if s.expired() || s.closing {
		return false
	}
	if s.ws == nil && (s.poll.get == nil || len(s.poll.writeBuf) > 0) {
		return false
	}
	s.closeWith(ReasonForcedClose, "")
	return true
}

// Writable reports whether a message written now leaves at once: a WebSocket
// with nothing queued, or a parked polling GET. Volatile messages are dropped
// when it is false. Home loop only.
func (s *Socket) Writable() bool {
	if s.closed || s.closing {
		return false
	}
	if s.ws != nil {
		return s.ws.Writable() // on the home loop (upgrade.go)
	}
	p := s.poll
	return p != nil && p.get != nil && len(p.writeBuf) == 0
}

// WritePrepared writes pre-encoded messages (a broadcast). With volatile set
// they are dropped, and false returned, when the transport is not writable.
// Home loop only.
func (s *Socket) WritePrepared(p *Prepared, volatile bool) bool {
	if c := s.wsOnHome(); c != nil { // the fan-out's path (broadcast.go)
		return s.writePreparedWS(c, p, volatile)
	}
	if s.expired() || s.closing || (volatile && !s.Writable()) {
		return false
	}
	if s.ws != nil {
		s.writeConn(s.ws, p.wsFrames(s.proto == 3, s.deflate()))
		return true
	}
	if s.answerPrepared(p) {
		return true
	}
	for _, m := range p.msgs {
		s.queue(queueMessage(m))
	}
	s.flushPoll()
	return true
}

// sendMessages is Send on the home loop.
func (s *Socket) sendMessages(msgs []Message) {
	if s.expired() || s.closing {
		return
	}
	if s.ws != nil {
		s.writeConn(s.ws, encodeFrames(msgs, s.proto == 3, s.deflate()))
		return
	}
	for _, m := range msgs {
		s.queue(queueMessage(m))
	}
	s.flushPoll()
}

// encodeFrames encodes messages as WebSocket frames, compressing those at
// least d.Threshold long when d is not nil.
func encodeFrames(msgs []Message, v3 bool, d *PerMessageDeflate) []byte {
	n := 0
	for _, m := range msgs {
		n += len(m.Data) + 16
	}
	b := make([]byte, 0, n)
	for _, m := range msgs {
		b = appendDeflatedWSFrame(b, m, v3, d)
	}
	return b
}

// deflate returns the compression settings for the active WebSocket: nil
// unless it negotiated permessage-deflate. Home loop only.
func (s *Socket) deflate() *PerMessageDeflate {
	if s.wsDeflate {
		return s.srv.cfg.PerMessageDeflate
	}
	return nil
}

// sendPacket sends a control packet (ping, pong, close, noop) on the active
// transport. Home loop only.
func (s *Socket) sendPacket(t packet.Type, data []byte) {
	if s.ws != nil {
		s.writeConn(s.ws, controlFrame(t, data))
		return
	}
	s.queue(queued{Packet: packet.Packet{Type: t, Data: data}})
	s.flushPoll()
}

// writeConn writes b to c, which may live on another loop. b must be
// immutable from now on. Home loop only.
func (s *Socket) writeConn(c *loop.Conn, b []byte) {
	if s.home.On(c.Loop()) {
		_ = c.Write(b)
		return
	}
	c.AsyncWrite(b)
}

// deliver hands a received packet of the active transport to the session.
// Home loop only.
func (s *Socket) deliver(p packet.Packet) {
	if s.closed {
		return
	}
	if s.pongPending && !s.pongGraced && p.Type != packet.Pong {
		// Engine.IO 6.6: while a pong is awaited, the first other packet
		// shows the client is alive and moves the deadline once (a client
		// busy sending may answer the ping late).
		s.pongGraced = true
		s.homeLoop().Arm(&s.heartbeat, s.srv.cfg.PingTimeout)
	}
	switch p.Type {
	case packet.Message:
		if s.h != nil {
			s.h.OnMessage(p.Data, p.Binary)
		}
	case packet.Pong:
		if s.proto == 3 {
			s.closeWith(ReasonTransportError, "invalid heartbeat direction")
			return
		}
		s.pongPending = false
		s.homeLoop().Arm(&s.heartbeat, s.srv.cfg.PingInterval)
	case packet.Ping:
		if s.proto == 4 {
			s.closeWith(ReasonTransportError, "invalid heartbeat direction")
			return
		}
		s.sendPacket(packet.Pong, nil)
		s.homeLoop().Arm(&s.heartbeat, s.srv.cfg.PingInterval+s.srv.cfg.PingTimeout)
	case packet.Close:
		s.closeWith(ReasonTransportClose, "")
	case packet.Noop, packet.Upgrade:
	default:
		s.closeWith(ReasonParseError, "")
	}
}

// closeWith closes the session. A close the server decided while polling
// without a parked GET waits for the next GET to deliver the queued packets
// and the close packet (bounded by the heartbeat window). Home loop only.
func (s *Socket) closeWith(reason, desc string) {
	if s.closed || s.closing {
		if s.closing && reason != ReasonForcedClose && reason != ReasonServerShutdown {
			s.finish(reason, desc)
		}
		return
	}
	serverSide := reason == ReasonForcedClose || reason == ReasonServerShutdown
	if s.ws == nil && serverSide {
		s.closing = true
		s.closingDown = reason == ReasonServerShutdown
		s.setReady(stateClosing)
		s.queue(queued{Packet: packet.Packet{Type: packet.Close}})
		if s.poll.get != nil {
			s.flushPoll()
			return
		}
		s.homeLoop().Arm(&s.heartbeat, s.srv.cfg.PingInterval+s.srv.cfg.PingTimeout)
		return
	}
	if s.ws != nil && serverSide {
		s.writeConn(s.ws, wsCloseNormal)
	}
	s.finish(reason, desc)
}

// closingReason is the reason of a server-side close waiting for a GET.
func (s *Socket) closingReason() string {
	if s.closingDown {
		return ReasonServerShutdown
	}
	return ReasonForcedClose
}

// finish tears the session down. Home loop only.
func (s *Socket) finish(reason, desc string) {
	if s.closed {
		return
	}
	s.closed = true
	s.closing = false
	if debuglog.On(debuglog.Engine) {
		debugEngine(s, "close", slog.String("reason", reason), slog.String("description", desc))
	}
	s.setReady(stateClosed)
	s.heartbeat.Stop()
	s.srv.sessions.remove(s)
	if p := s.poll; p != nil {
		if p.get != nil {
			// A client that asked to close gets a noop on its parked GET;
			// a transport the server closes (ping timeout, parse error)
			// gets a close packet, as Node's polling transport does.
			if reason == ReasonTransportClose {
				s.answerGet(s.noopPayload())
			} else {
				s.answerGet(s.closePayload())
			}
		}
		p.writeBuf = nil
		s.closeProbe()
	}
	if s.ws != nil {
		closeConn(s.homeLoop(), s.ws)
		s.ws = nil
	}
	if s.h != nil {
		s.h.OnClose(reason, desc)
	}
}

// closeConn closes c after its queued bytes, from c's loop.
func closeConn(home *loop.Loop, c *loop.Conn) {
	if c.Loop() == home {
		c.CloseAfterFlush(nil)
		return
	}
	c.Loop().Execute(func() { c.CloseAfterFlush(nil) })
}

// onTransportClosed is told that one of the session's connections closed.
// Home loop only.
func (s *Socket) onTransportClosed(c *loop.Conn) {
	switch {
	case s.closed:
	case c == s.ws:
		s.ws = nil
		s.finish(ReasonTransportClose, "")
	case s.isProbe(c):
		s.abortProbe()
	case s.poll != nil && s.poll.get != nil && s.poll.get.c == c:
		s.poll.get = nil
		s.finish(ReasonTransportError, "poll connection closed prematurely")
	case s.waiting:
		s.srv.parked.markClosed(s, c) // a GET read on c waits for its turn
	}
}
