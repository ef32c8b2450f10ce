package socketio

import (
	"sync"
	"sync/atomic"

	"github.com/sio-fast/sio-fast/engineio"
)

// recipients keeps the sockets of a MemoryAdapter laid out for the
// broadcast to all of them (no rooms, no except): one table per event loop,
// kept in sync with the namespace's membership, so that such a broadcast
// hands each loop its table instead of enumerating the room index and
// grouping every socket by loop on the emitting goroutine (fanout.go).
//
// A loop's table holds only sockets whose engine session can no longer move
// to another loop: opened on WebSocket, or already upgraded to it. The
// others (polling sessions, test doubles without an *engineio.Socket) are
// "movable": a broadcast collects them one by one as before, with their
// home read then, which keeps the rehome ordering of rehome.go. A movable
// socket enters its loop's table when its session is upgraded (OnUpgrade).
//
// A table is read when its loop runs the broadcast, not when the broadcast
// is emitted: a socket that connected meanwhile gets it (what the room
// index promises for a broadcast to all: joins meanwhile may or may not be
// seen). Where that would deliver twice, the socket enters the table
// through its loop's queue, behind the broadcasts already queued there:
// a session recovering its missed packets, and a movable socket at its
// upgrade (enter).
type recipients struct {
	// mu orders the entries into tables made through a loop's queue against
	// the broadcasts, which hold it (read) from collecting the movable
	// sockets to queueing every task. It guards tables (append only) and
	// movable, with each socket's mslot.
	mu      sync.RWMutex
	tables  []*loopTable
	movable []*Socket
}

// loopTable is the sockets of one loop in its recipients, and beside them
// their engine sessions: a broadcast hands ess to engineio.Broadcast as it
// is, without reading a Socket (fanout.go). Every socket in it receives
// broadcasts (list refuses one that is disconnecting, unlist runs before it
// is disconnected). socks, ess and each socket's tslot are guarded by mu,
// which the loop holds while a broadcast copies the table: uncontended
// unless a socket is added or removed off its loop meanwhile (a handler
// goroutine).
type loopTable struct {
	exec  Executor
	n     atomic.Int32 // len(socks), read by broadcasts without mu
	mu    sync.Mutex
	socks []*Socket
	ess   []*engineio.Socket
}

// noSlot marks a socket in no table (tslot) or not movable (mslot). A
// slot holds the index plus one, so that a zero Socket is in neither.
const noSlot = 0

// list makes s a recipient of broadcasts to all, once (bitListed). Home
// loop of s, at its connection (joinOwn, once s is connected), or a
// recovering socket's restore, under the lock that orders the namespace's
// broadcasts.
func (r *recipients) list(s *Socket) {
	if st := s.state.Load(); st != stateConnected && st != stateRecovering {
		// Not yet connected (a middleware joined its own room: connected
		// lists it), or a Join racing the disconnection, which unlisted it
		// or will: the tables hold only sockets that receive broadcasts.
		return
	}
	if s.setBit(bitListed, true) {
		return // already listed: a rejoin of its own room
	}
	switch {
	case !s.settled():
		r.mu.Lock()
		r.movable = append(r.movable, s)
		s.mslot = int32(len(r.movable))
		r.mu.Unlock()
	case s.state.Load() == stateRecovering:
		// The broadcasts it missed are written to it from the store: those
		// already queued on its loop must not find it in the table.
		lt := r.table(s.es.Home())
		s.es.Execute(func() { lt.enter(s) })
	default:
		r.table(s.es.Home()).enter(s)
	}
}

// settled reports whether s's engine session stays on its loop for good:
// the engine's own session, on WebSocket. Any goroutine.
func (s *Socket) settled() bool {
	return s.es != nil && s.es.Transport() == "websocket"
}

// unlist undoes list: s receives no further broadcast to all. Any
// goroutine (DelAll).
func (r *recipients) unlist(s *Socket) {
	if !s.setBit(bitListed, false) {
		return
	}
	r.mu.Lock()
	if s.mslot != noSlot {
		r.movable = removeAt(r.movable, s.mslot, func(m *Socket, i int32) { m.mslot = i })
		s.mslot = noSlot
	}
	r.mu.Unlock()
	if s.es == nil {
		return
	}
	if lt := r.existing(s.es.Home()); lt != nil {
		lt.leave(s)
	}
}

// upgraded moves s, listed as movable, into the table of its session's
// loop, now final: through that loop's queue, behind the broadcasts that
// collected it as movable. Home loop of s, after the upgrade (OnUpgrade).
func (r *recipients) upgraded(s *Socket) {
	if !s.settled() {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if s.mslot == noSlot {
		return
	}
	r.movable = removeAt(r.movable, s.mslot, func(m *Socket, i int32) { m.mslot = i })
	s.mslot = noSlot
	lt := r.tableLocked(s.es.Home())
	s.es.Execute(func() { lt.enter(s) })
}

// enter appends s to the table, unless it was unlisted meanwhile (checked
// under mu: an unlist clears the bit before it takes mu).
func (lt *loopTable) enter(s *Socket) {
	lt.mu.Lock()
	if s.bits.Load()&bitListed != 0 && s.tslot == noSlot {
		lt.socks = append(lt.socks, s)
		lt.ess = append(lt.ess, s.es)
		s.tslot = int32(len(lt.socks))
		lt.n.Store(int32(len(lt.socks)))
	}
	lt.mu.Unlock()
}

// leave removes s from the table if it is there.
func (lt *loopTable) leave(s *Socket) {
	lt.mu.Lock()
	if s.tslot != noSlot {
		lt.ess = removeAt(lt.ess, s.tslot, nil)
		lt.socks = removeAt(lt.socks, s.tslot, func(m *Socket, i int32) { m.tslot = i })
		s.tslot = noSlot
		lt.n.Store(int32(len(lt.socks)))
	}
	lt.mu.Unlock()
}

// removeAt removes the element in slot (its index plus one) by moving the
// last one into its place (setSlot, unless nil, records its new slot), and shrinks the array once it is
// mostly empty, so that a table that held many sockets does not keep
// their memory.
func removeAt[E any](list []*E, slot int32, setSlot func(*E, int32)) []*E {
	i, last := slot-1, int32(len(list)-1)
	if i != last {
		list[i] = list[last]
		if setSlot != nil {
			setSlot(list[i], slot)
		}
	}
	list[last] = nil
	list = list[:last]
	if c := cap(list); c > 64 && len(list) < c/4 {
		list = append([]*E(nil), list...)
	}
	return list
}

// table returns the table of loop e, created on first use.
func (r *recipients) table(e Executor) *loopTable {
	if lt := r.existing(e); lt != nil {
		return lt
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.tableLocked(e)
}

// tableLocked is table with r.mu held.
func (r *recipients) tableLocked(e Executor) *loopTable {
	for _, lt := range r.tables {
		if lt.exec == e {
			return lt
		}
	}
	lt := &loopTable{exec: e}
	r.tables = append(r.tables, lt)
	return lt
}

// existing returns the table of loop e, or nil.
func (r *recipients) existing(e Executor) *loopTable {
	r.mu.RLock()
	defer r.mu.RUnlock()
	for _, lt := range r.tables {
		if lt.exec == e {
			return lt
		}
	}
	return nil
}

// count returns how many sockets are listed: an upper bound of the
// recipients of a broadcast to all (some may be disconnecting). Any
// goroutine.
func (r *recipients) count() int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	n := len(r.movable)
	for _, lt := range r.tables {
		n += int(lt.n.Load())
	}
	return n
}

// dispatchAll hands a broadcast to all to every loop through c: the movable
// sockets grouped by their home now, and each loop's table, to be walked
// there. The lock keeps an entry through a loop's queue (upgraded) either
// before or after every task of the broadcast. Any goroutine.
func (r *recipients) dispatchAll(c *collector, p *engineio.Prepared, volatile bool, text []byte, atts [][]byte, ackID int64) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	for _, s := range r.movable {
		c.visit(s)
	}
	for _, lt := range r.tables {
		if lt.n.Load() > 0 {
			c.taskFor(lt.exec).table = lt
		}
	}
	c.dispatch(p, volatile, text, atts, ackID, nil)
}
