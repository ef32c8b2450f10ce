package socketio

import (
	"encoding/json"
	"log/slog"
	"sync"
	"sync/atomic"

	"github.com/sio-fast/sio-fast/engineio"
	"github.com/sio-fast/sio-fast/internal/debuglog"
	"github.com/sio-fast/sio-fast/socketio/parser"
)

// EventHandler handles one incoming event: args are the event's arguments
// (valid while the handler runs; see "Argument lifetimes" in the package
// doc for when they outlive it), ack is non-nil when the
// client asked for an acknowledgement.
//
// Where it runs: in HandlerInline mode (the default) on the session's event
// loop, which serves thousands of other connections: it MUST NOT block
// (no database call, no network, no EmitWithAck wait, no long computation).
// Do slow work with Socket.Go (ordered, per socket) or your own goroutine,
// and answer with ack or Emit from there: both are safe from any goroutine.
// In HandlerAsync mode it runs on the socket's own goroutine and may block.
type EventHandler func(s *Socket, args Args, ack AckFunc)

// AnyHandler is a catch-all listener (OnAny, OnAnyOutgoing): event is the
// event name, ack is nil for outgoing packets and for events without ack.
type AnyHandler func(s *Socket, event string, args Args, ack AckFunc)

// PacketMiddleware runs for each incoming event, after the catch-all
// listeners and before the handler (Node's socket.use). A non-nil error
// drops the event and is given to the socket's error listeners. It runs
// where the handler would run.
type PacketMiddleware func(s *Socket, event string, args Args) error

// DisconnectHandler receives the reason of a disconnection.
type DisconnectHandler func(s *Socket, reason DisconnectReason)

// Socket states.
const (
	stateConnecting int32 = iota // namespace middlewares running
	stateRecovering              // recovered, middlewares running: in its rooms, receives broadcasts (Node)
	stateConnected
	stateDisconnecting // disconnecting listeners running, rooms intact
	stateDisconnected
)

// Socket is one client's connection to one namespace. Methods document the
// goroutine they may be called from; most are safe from any goroutine.
//
// The fields a broadcast reads per recipient (state, bits, es, conn)
// come first, in the first 64 bytes: Socket is a 128-byte object, so they
// share one cache line and the fan-out walk misses once per socket, not
// twice.
type Socket struct {
	state atomic.Int32
	bits  atomic.Uint32 // bitAnyOut, bitOwnRoomJoined, bitOwnRoomLeft, bitListed
	// es is conn.es when that is the engine's own *engineio.Socket (not a
	// test double or an observer's wrapper): the fan-out calls it
	// directly, without the hop through conn and an interface call.
	es        *engineio.Socket
	conn      *conn
	nsp       *Namespace
	id        string
	handshake atomic.Pointer[Handshake] // built on first use
	created   int64                     // ms since the epoch
	// Where the socket is in its namespace's recipient tables
	// (recipients.go): its slot in its loop's table (guarded by that
	// table's lock) or among the movable sockets (guarded by the
	// recipients' lock). In the 16 bytes the struct had spare.
	tslot, mslot int32

	mu       sync.Mutex // guards everything below
	handlers eventHandlers
	// *socketExtras holds what most sockets never use. It points to the
	// shared, empty noExtras until a method under s.mu needs to change one
	// of its fields (s.own): an idle socket then costs about 150 bytes less.
	*socketExtras
}

// The bits of Socket.bits: its atomic flags, one word for all.
const (
	// bitAnyOut: outgoing catch-all listeners are set.
	bitAnyOut uint32 = 1 << iota
	// The socket's own room lives in these bits, not in the room index
	// (see MemoryAdapter): joined at connect, left with Leave(id) or DelAll.
	bitOwnRoomJoined
	bitOwnRoomLeft
	// bitListed: the socket is a recipient of broadcasts to all, in its
	// namespace's recipient tables (recipients.go).
	bitListed
)

// hasAnyOut reports whether outgoing catch-all listeners are set. Any
// goroutine.
func (s *Socket) hasAnyOut() bool { return s.bits.Load()&bitAnyOut != 0 }

// setBit sets or clears b and reports whether it was set. Any goroutine.
func (s *Socket) setBit(b uint32, on bool) (was bool) {
	if on {
		return s.bits.Or(b)&b != 0
	}
	return s.bits.And(^b)&b != 0
}

// socketExtras are the Socket fields most sockets leave empty.
type socketExtras struct {
	auth            json.RawMessage // CONNECT payload, nil when absent
	anyIn           []anyEntry
	anyOut          []anyEntry
	anySeq          int
	pmws            []PacketMiddleware
	onDisconnecting []DisconnectHandler
	onDisconnect    []DisconnectHandler
	onError         []func(s *Socket, err error)
	acks            map[int64]ackEntry
	data            any
	worker          *worker         // Go: one goroutine, in order
	pool            *worker         // GoConcurrent: up to Config.SocketConcurrency goroutines
	rec             *socketRecovery // connection state recovery (recovery.go), nil when off
}

// noExtras is every socket's socketExtras until it sets one of them. It is
// never written.
var noExtras socketExtras

// own returns the socket's own socketExtras, allocating it on the first
// change. s.mu held.
func (s *Socket) own() *socketExtras {
	if s.socketExtras == &noExtras {
		s.socketExtras = &socketExtras{}
	}
	return s.socketExtras
}

type anyEntry struct {
	id int
	fn AnyHandler
}

// ID returns the socket id: 20 URL-safe base64 characters, independent of
// the engine session id (Engine.IO v3 clients: the engine id, or
// "/nsp#<engine id>" outside the main namespace). Any goroutine.
func (s *Socket) ID() string { return s.id }

// Namespace returns the socket's namespace. Any goroutine.
func (s *Socket) Namespace() *Namespace { return s.nsp }

// Conn returns the underlying Engine.IO session (Node's socket.conn).
// Any goroutine (see EngineSocket for the rules of each method).
func (s *Socket) Conn() EngineSocket { return s.conn.es }

// Connected reports whether the socket is connected to its namespace.
// Any goroutine.
func (s *Socket) Connected() bool { return s.state.Load() == stateConnected }

// Data returns the value set with SetData (Node's socket.data). Any goroutine.
func (s *Socket) Data() any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.data
}

// SetData sets the socket's user data. Any goroutine.
func (s *Socket) SetData(v any) {
	s.mu.Lock()
	s.own().data = v
	s.mu.Unlock()
	s.observeData()
}

// On registers the handler of event, replacing any previous one. Any
// goroutine; usually called in the connection handler.
func (s *Socket) On(event string, h EventHandler) {
	s.mu.Lock()
	s.handlers.set(event, h, &s.nsp.handlers)
	s.mu.Unlock()
}

// Off removes the handler of event. Any goroutine.
func (s *Socket) Off(event string) {
	s.mu.Lock()
	s.handlers.remove(event)
	s.mu.Unlock()
}

// Use adds a packet middleware (Node's socket.use). Any goroutine.
func (s *Socket) Use(mw PacketMiddleware) {
	s.mu.Lock()
	x := s.own()
	x.pmws = append(x.pmws, mw)
	s.mu.Unlock()
}

// OnDisconnecting registers a listener called before the socket leaves its
// rooms. Any goroutine.
func (s *Socket) OnDisconnecting(h DisconnectHandler) {
	s.mu.Lock()
	x := s.own()
	x.onDisconnecting = append(x.onDisconnecting, h)
	s.mu.Unlock()
}

// OnDisconnect registers a listener called after the socket left its rooms
// and namespace. Any goroutine.
func (s *Socket) OnDisconnect(h DisconnectHandler) {
	s.mu.Lock()
	x := s.own()
	x.onDisconnect = append(x.onDisconnect, h)
	s.mu.Unlock()
}

// OnError registers a listener for packet-middleware errors and for
// protocol errors of the connection (which then closes). Any goroutine.
func (s *Socket) OnError(fn func(s *Socket, err error)) {
	s.mu.Lock()
	x := s.own()
	x.onError = append(x.onError, fn)
	s.mu.Unlock()
}

// Join adds the socket to rooms. Any goroutine.
func (s *Socket) Join(rooms ...Room) {
	if s.state.Load() == stateDisconnected {
		return
	}
	s.nsp.adapter.AddAll(s, rooms)
	if s.state.Load() == stateDisconnected { // raced with the disconnect's DelAll
		s.nsp.adapter.DelAll(s)
	}
}

// Leave removes the socket from room. Any goroutine.
func (s *Socket) Leave(room Room) { s.nsp.adapter.Del(s, room) }

// Rooms returns the rooms the socket is in (its own id room included).
// Any goroutine.
func (s *Socket) Rooms() []Room { return s.nsp.adapter.SocketRooms(s) }

// Disconnect leaves the namespace: the client gets a DISCONNECT packet and
// the socket's listeners the reason "server namespace disconnect". With
// close, every namespace of the connection is disconnected that way and the
// Engine.IO session is closed. Any goroutine (the work happens on the home
// loop, so it may complete after Disconnect returns).
func (s *Socket) Disconnect(close bool) {
	s.conn.es.Execute(func() {
		s.conn.watchedCall(s, "(disconnect)", func() {
			if close {
				s.conn.disconnectAll()
				return
			}
			s.serverDisconnect()
		})
	})
}

// serverDisconnect sends DISCONNECT and closes the socket. Home loop.
func (s *Socket) serverDisconnect() {
	if s.state.Load() != stateConnected {
		return
	}
	s.conn.es.Send(s.nsp.srv.encodeSimple(parser.Disconnect, s.nsp.name, nil)...)
	s.conn.countSent()
	s.onClose(ReasonServerNamespaceDisconnect)
}

// receivesBroadcasts reports whether broadcasts still reach the socket
// (connected, or running its disconnecting listeners, like Node).
func (s *Socket) receivesBroadcasts() bool {
	st := s.state.Load()
	return st >= stateRecovering && st <= stateDisconnecting
}

// onClose runs the disconnection sequence. Home loop.
func (s *Socket) onClose(reason DisconnectReason) {
	if !s.state.CompareAndSwap(stateConnected, stateDisconnecting) {
		return
	}
	if debuglog.On(debuglog.Socket) {
		debugSocket(s, "disconnect", slog.String("reason", string(reason)))
	}
	s.conn.forget(s)
	s.run(func() {
		s.mu.Lock()
		ing, ed := s.onDisconnecting, s.onDisconnect
		s.mu.Unlock()
		for _, h := range ing {
			s.safe(func() { h(s, reason) })
		}
		sess := s.session(reason) // connection state recovery, rooms still intact (recovery.go)
		s.nsp.adapter.DelAll(s)
		s.state.Store(stateDisconnected)
		s.nsp.remove(s)
		if sess != nil { // once s is gone from the namespace: its successor may take its id
			s.nsp.sessionStore().PersistSession(sess)
		}
		for _, h := range ed {
			s.safe(func() { h(s, reason) })
		}
	})
}

// emitError gives err to the error listeners. Runs like a handler.
func (s *Socket) emitError(err error) {
	s.mu.Lock()
	ls := s.onError
	s.mu.Unlock()
	for _, fn := range ls {
		s.safe(func() { fn(s, err) })
	}
}

// run runs fn where the socket's handlers run: inline (the caller is on the
// home loop) or on the socket's goroutine in HandlerAsync mode.
func (s *Socket) run(fn func()) {
	if s.nsp.srv.async {
		s.Go(fn)
		return
	}
	s.safe(fn)
}

// Go runs fn on the socket's own goroutine, after anything queued there
// before (in HandlerAsync mode the handlers themselves). The goroutine is
// created on demand and exits when idle, so idle sockets cost none. Use it
// for blocking work started from an inline handler; fn may block, emit and
// ack. A panic in fn is recovered and logged. Any goroutine.
//
// One socket's functions run one at a time: a client's third 200 ms lookup
// answers after 600 ms. For independent requests use GoConcurrent.
func (s *Socket) Go(fn func()) {
	s.mu.Lock()
	if s.worker == nil {
		s.own().worker = &worker{s: s, limit: 1}
	}
	w := s.worker
	s.mu.Unlock()
	s.keepLoopLease()
	w.push(fn)
}

// GoConcurrent runs fn on a goroutine beside the socket's other
// GoConcurrent functions, at most Config.SocketConcurrency (default 16) at
// once per socket; more wait in a queue, in order of arrival (nothing
// blocks the caller). It is Node's behaviour for async handlers: three
// 200 ms lookups of one client all answer after about 200 ms. There is no
// order between them, nor with Go. Like Go, fn may block, emit and ack,
// the Args of the calling handler stay valid in fn, and a panic is
// recovered and logged. Any goroutine.
func (s *Socket) GoConcurrent(fn func()) {
	s.mu.Lock()
	if s.pool == nil {
		s.own().pool = &worker{s: s, limit: s.nsp.srv.cfg.SocketConcurrency}
	}
	w := s.pool
	s.mu.Unlock()
	s.keepLoopLease()
	w.push(fn)
}

// workerBusy reports whether functions given to Go or GoConcurrent are
// queued or running. Any goroutine.
func (s *Socket) workerBusy() bool {
	s.mu.Lock()
	w, p := s.worker, s.pool
	s.mu.Unlock()
	return w.busy() || p.busy()
}

// safe calls fn, recovering and logging a panic so that a faulty handler
// never takes the event loop down.
func (s *Socket) safe(fn func()) {
	defer func() {
		if r := recover(); r != nil {
			s.nsp.srv.logger.Error("socketio: handler panic", "namespace", s.nsp.name, "socket", s.id, "panic", r)
		}
	}()
	fn()
}

// worker runs a socket's queued functions on up to limit goroutines that
// exist only while the queue is not empty; with limit 1, in order.
type worker struct {
	s       *Socket
	limit   int
	mu      sync.Mutex
	q       []func()
	running int // goroutines started and not yet gone
}

func (w *worker) push(fn func()) {
	w.mu.Lock()
	w.q = append(w.q, fn)
	start := w.running < w.limit
	if start {
		w.running++
	}
	w.mu.Unlock()
	if start {
		go w.loop()
	}
}

// busy reports whether functions are queued or running; false for nil.
func (w *worker) busy() bool {
	if w == nil {
		return false
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.running > 0
}

func (w *worker) loop() {
	for {
		w.mu.Lock()
		if len(w.q) == 0 {
			w.running--
			if w.running == 0 {
				w.q = nil
			}
			w.mu.Unlock()
			return
		}
		fn := w.q[0]
		w.q[0] = nil
		w.q = w.q[1:]
		w.mu.Unlock()
		w.s.safe(fn)
	}
}

// sendMessages queues msgs on the engine unless the socket is gone.
func (s *Socket) sendMessages(msgs []engineio.Message, volatile bool) {
	if s.state.Load() == stateDisconnected {
		return
	}
	s.conn.countSent()
	if !volatile {
		s.conn.es.Send(msgs...)
		return
	}
	p := engineio.NewPrepared(msgs...)
	s.conn.es.Execute(func() { s.conn.es.WritePrepared(p, true) })
}
