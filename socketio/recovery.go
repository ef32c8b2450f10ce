package socketio

import (
	"time"

	"github.com/sio-fast/sio-fast/engineio"
	"github.com/sio-fast/sio-fast/internal/jsonx"
	"github.com/sio-fast/sio-fast/socketio/parser"
)

// Recovery enables connection state recovery (Node's
// connectionStateRecovery option, features.md 1.10): a client whose
// transport dropped and that reconnects within MaxDisconnectionDuration gets
// its socket id, rooms and data back, and every packet broadcast to it
// meanwhile, in order.
//
// With recovery on, every EVENT broadcast through the adapter without an ack
// and not volatile (single-socket Emits included, as in Node) is stored and
// carries an offset as its last argument; the client sends the last offset
// it saw and the session's private id (pid, sent in the CONNECT reply) when
// it reconnects. A session is kept only for the reasons
// DisconnectReason.Recoverable lists.
type Recovery struct {
	// MaxDisconnectionDuration is how long sessions and packets are kept
	// (0: 2 minutes, Node's default).
	MaxDisconnectionDuration time.Duration
	// SkipMiddlewares skips the namespace middlewares for a recovered
	// socket. Node's default is true: DefaultRecovery sets it.
	SkipMiddlewares bool
}

// DefaultRecovery returns Node's defaults: 2 minutes, middlewares skipped.
func DefaultRecovery() *Recovery {
	return &Recovery{MaxDisconnectionDuration: defaultMaxDisconnection, SkipMiddlewares: true}
}

const defaultMaxDisconnection = 2 * time.Minute

func (r Recovery) withDefaults() *Recovery {
	if r.MaxDisconnectionDuration <= 0 {
		r.MaxDisconnectionDuration = defaultMaxDisconnection
	}
	return &r
}

// Session is what connection state recovery keeps of a disconnected socket
// (Node's Session).
type Session struct {
	SID   string // the socket id, given back on recovery
	PID   string // private id: only the client it was sent to knows it
	Rooms []Room // the socket's rooms, its own id room included
	Data  any    // Socket.Data
}

// SessionStore is the optional part of an Adapter that implements
// connection state recovery (Node's SessionAwareAdapter; the server checks
// for it with a type assertion). MemoryAdapter implements it in memory; a
// cluster adapter implements it on its shared log (offsets are opaque
// strings, e.g. stream entry ids).
//
// The adapter's part of the contract is in Broadcast: when recovery is on,
// every EVENT packet without ack id (pkt.ID < 0) and not volatile is stored
// with its BroadcastOptions and gets an offset appended to its Data as the
// last argument (AppendOffset), before it is sent.
type SessionStore interface {
	// PersistSession keeps sess for MaxDisconnectionDuration. It is called
	// from the socket's handler goroutine during the disconnection and
	// must not block.
	PersistSession(sess *Session)
	// RestoreSession takes (removes) the unexpired session pid and finds
	// the stored packets after offset that its rooms select (Node's
	// shouldIncludePacket: no rooms or one of the session's rooms, and none
	// of the except rooms). It calls done exactly once ON THE HOME LOOP
	// home: done(nil, nil) when there is no such session or offset, or
	// done(sess, missed) at a point where every broadcast not in missed is
	// fanned out after done returns (done makes the socket a recipient).
	// missed are EVENT packets (Data with its offset, Attachments), in
	// order. done runs no user code and never broadcasts, so a store may
	// call it under the lock that orders its broadcasts; the in-memory
	// adapter does, before RestoreSession returns.
	RestoreSession(pid, offset string, home Executor, done func(sess *Session, missed []parser.Packet))
}

// AppendOffset returns the JSON array data (`["event",args...]`) with offset
// appended as its last element, in a new exactly sized slice. For
// SessionStore implementations.
func AppendOffset(data []byte, offset string) []byte {
	return appendOffsetWith(data, len(offset), func(b []byte) []byte { return parser.AppendString(b, offset) })
}

// appendOffsetWith is AppendOffset for an offset of n bytes (JSON string
// included) that add appends.
func appendOffsetWith(data []byte, n int, add func([]byte) []byte) []byte {
	if len(data) < 2 || data[len(data)-1] != ']' {
		return append([]byte(nil), data...)
	}
	body := data[:len(data)-1]
	out := make([]byte, 0, len(data)+n+3)
	out = append(out, body...)
	if len(body) > 1 {
		out = append(out, ',')
	}
	return append(add(out), ']')
}

// storedEmit reports whether an emit with these flags is stored for
// recovery: Node stores events without ack that are not volatile.
func storedEmit(ackID int64, volatile bool) bool { return ackID < 0 && !volatile }

// storedWhenGone reports whether an emit on a disconnected socket is still
// stored: with recovery on, Node stores it (to the socket's own room), so a
// client that recovers its session gets what was emitted meanwhile.
func (e Emitter) storedWhenGone(cb AckCallback) bool {
	return e.s.nsp.srv.recovery != nil && cb == nil && !e.volatile
}

// Recovered reports whether the socket's state was recovered after a
// temporary disconnection: it kept its id, rooms and data, and the packets
// it missed were sent before the CONNECT reply (Node's socket.recovered).
// Any goroutine.
func (s *Socket) Recovered() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rec != nil && s.rec.recovered
}

// socketRecovery is a socket's recovery state, allocated only when
// recovery is on (one pointer in socketExtras otherwise). Set before the
// socket is shared, never changed.
type socketRecovery struct {
	pid       string // the session's private id, sent in the CONNECT reply
	recovered bool
}

// recoveryAuth extracts the pid and offset strings of a reconnecting
// client's CONNECT auth ({"pid":"..","offset":"..",...}). ok is false
// unless both are strings.
func recoveryAuth(auth []byte) (pid, offset string, ok bool) {
	if len(auth) == 0 || auth[0] != '{' {
		return "", "", false
	}
	var a struct {
		PID    *string `json:"pid"`
		Offset *string `json:"offset"`
	}
	if jsonx.Unmarshal(auth, &a) != nil || a.PID == nil || a.Offset == nil {
		return "", "", false
	}
	return *a.PID, *a.Offset, true
}

// sessionStore returns the namespace's store when recovery is on and its
// adapter implements SessionStore.
func (n *Namespace) sessionStore() SessionStore {
	if n.srv.recovery == nil {
		return nil
	}
	st, _ := n.adapter.(SessionStore)
	return st
}

// connectRecovering handles a CONNECT when recovery is on: a client that
// sends a pid and an offset is looked up, and gets its session back or, if
// there is none, a fresh socket. It reports false when recovery does not
// apply (the caller connects normally). Home loop.
func (c *conn) connectRecovering(nsp *Namespace, auth []byte) bool {
	st := nsp.sessionStore()
	if st == nil || c.v3 {
		return false
	}
	pid, offset, ok := recoveryAuth(auth)
	if !ok {
		return false
	}
	s := newSocket(nsp, c, auth)
	st.RestoreSession(pid, offset, c.es, func(sess *Session, missed []parser.Packet) {
		if sess != nil {
			s.restore(sess, missed)
		}
		// Continue on a later turn of the loop: done may run under the
		// store's lock, and what follows runs user code that may emit.
		c.es.Execute(func() {
			if sess != nil && c.ls().srv.recovery.SkipMiddlewares && !c.gone && !c.closing {
				c.connected(s)
				return
			}
			c.runMiddlewares(s)
		})
	})
	return true
}

// restore gives a recovered socket its id, rooms and data, makes it a
// recipient of broadcasts and writes the packets it missed (before the
// CONNECT reply, as Node does). Home loop, inside the store's done.
func (s *Socket) restore(sess *Session, missed []parser.Packet) {
	s.id = sess.SID
	s.mu.Lock()
	x := s.own()
	x.rec, x.data = &socketRecovery{pid: sess.PID, recovered: true}, sess.Data
	s.mu.Unlock()
	s.state.Store(stateRecovering)
	s.nsp.add(s) // found by id at once: emits to its own room reach it from now on
	s.nsp.adapter.AddAll(s, sess.Rooms)
	for i := range missed {
		p := missed[i]
		p.Namespace, p.ID = s.nsp.name, -1
		if p.Type == 0 {
			p.Type = parser.Event
		}
		if msgs, err := s.nsp.srv.encode(&p); err == nil { // it was encoded once already
			s.conn.es.WritePrepared(engineio.NewPrepared(msgs...), false)
			s.conn.countSent()
		}
	}
}

// session returns what to persist of a socket closing for a recoverable
// reason, nil when nothing is. Its rooms must still be intact. Where
// handlers run.
func (s *Socket) session(reason DisconnectReason) *Session {
	if s.nsp.sessionStore() == nil || !reason.Recoverable() || s.conn.v3 {
		return nil
	}
	s.mu.Lock()
	rec, data := s.rec, s.data
	s.mu.Unlock()
	if rec == nil {
		return nil
	}
	return &Session{SID: s.id, PID: rec.pid, Rooms: s.Rooms(), Data: data}
}

// emitStored sends a single-socket event (no ack, not volatile) through the
// adapter, as Node does with recovery on, so that it is stored and gets an
// offset. It reports false when recovery does not apply (the caller sends
// the packet directly). It takes values, not the caller's packet, so that
// the emit path's packet stays on the stack when recovery is off.
func (s *Socket) emitStored(data []byte, atts [][]byte, noCompress bool) bool {
	if s.state.Load() < stateConnected || s.nsp.sessionStore() == nil {
		return false // still connecting: sent directly, not stored (no own room yet)
	}
	b := &storedEmitArgs{ // one allocation for what the adapter call makes escape
		pkt:  parser.Packet{Type: parser.Event, Namespace: s.nsp.name, ID: -1, Data: data, Attachments: atts},
		room: [1]Room{s.id},
	}
	b.opts = BroadcastOptions{Rooms: b.room[:], Flags: BroadcastFlags{NoCompress: noCompress, Binary: len(atts) > 0}}
	s.nsp.adapter.Broadcast(&b.pkt, &b.opts)
	return true
}

// storedEmitArgs are the arguments of the adapter call of emitStored.
type storedEmitArgs struct {
	pkt  parser.Packet
	opts BroadcastOptions
	room [1]Room
}
