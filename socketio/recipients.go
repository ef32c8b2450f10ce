package socketio

import (
	"slices"
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
// home read then, which keeps the rehome ordering of rehome.go.
//
// A table is read when its loop runs the broadcast, not when the broadcast
// is emitted: a socket that connected meanwhile gets it (what the room
// index promises for a broadcast to all: joins meanwhile may or may not be
// seen). Where that would deliver twice or out of order, the socket enters
// the table in two steps (enterLater): at once as pending, with the epoch
// of its entry, then in the table proper through its session's queue,
// behind the work already there. A broadcast of an earlier epoch (which
// collected it as movable, or whose packets a recovering session reads
// from the store) skips it while pending; one of its epoch or later hands
// it the packet through its session (engineio.Socket.Reroute), in its
// order. That covers a movable socket at its upgrade, whose session may
// still be arriving on its new loop, and a session recovering its missed
// packets.
type recipients struct {
	// mu orders the pending entries against the broadcasts, which hold it
	// (read) from collecting the movable sockets to queueing every task.
	// It guards tables (append only), epoch, and movable with each
	// socket's mslot.
	mu      sync.RWMutex
	tables  []*loopTable
	movable []*Socket
	epoch   uint64 // pending entries so far
}

// loopTable is the sockets of one loop in its recipients, and beside them
// their engine sessions: a broadcast hands ess to engineio.Broadcast as it
// is, without reading a Socket (fanout.go). Every socket in it receives
// broadcasts (list refuses one that is disconnecting, unlist runs before it
// is disconnected). socks, ess, pending and each socket's tslot are guarded
// by mu, which the loop holds while a broadcast copies the table:
// uncontended unless a socket is added or removed off its loop meanwhile
// (a handler goroutine).
type loopTable struct {
	exec Executor
	// n is len(socks) + len(pending), read by broadcasts without mu: a
	// broadcast must reach a pending socket even if the table is empty.
	// Each change under mu updates it in one step (addN), so that a socket
	// moving from pending into socks is never seen as absent.
	n       atomic.Int32
	mu      sync.Mutex
	socks   []*Socket
	ess     []*engineio.Socket
	pending []pendingEntry
}

// pendingEntry is a socket on its way into a table (enterLater).
type pendingEntry struct {
	s     *Socket
	epoch uint64
}

// noSlot marks a socket in no table (tslot) or not movable (mslot). A
// slot holds the index plus one, so that a zero Socket is in neither.
const noSlot = 0

// list makes s a recipient of broadcasts to all, once (bitListed). Home
// loop of s, at its connection (AddAll, once s is connected), or a
// recovering socket's restore, under the lock that orders the namespace's
// broadcasts.
func (r *recipients) list(s *Socket) {
	if st := s.state.Load(); st != stateConnected && st != stateRecovering {
		// Not yet connected (a middleware joined a room: connected lists
		// it), or a Join racing the disconnection, which unlisted it or
		// will: the tables hold only sockets that receive broadcasts.
		return
	}
	if s.setBit(bitListed, true) {
		return // already listed
	}
	switch {
	case !s.settled():
		r.mu.Lock()
		r.movable = append(r.movable, s)
		s.mslot = int32(len(r.movable))
		r.mu.Unlock()
	case s.state.Load() == stateRecovering:
		// The broadcasts it missed are written to it from the store: those
		// emitted before must not reach it from the table.
		r.mu.Lock()
		r.enterLater(s)
		r.mu.Unlock()
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
// loop, now final (enterLater). Home loop of s, once it is on WebSocket
// (OnUpgrade), possibly while the session is still arriving there.
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
	r.enterLater(s)
}

// enterLater makes s pending in its loop's table, with a new epoch, and
// queues its entry proper in its session's order. r.mu held.
func (r *recipients) enterLater(s *Socket) {
	r.epoch++
	lt := r.tableLocked(s.es.Home())
	lt.mu.Lock()
	lt.pending = append(lt.pending, pendingEntry{s, r.epoch})
	lt.n.Add(1)
	lt.mu.Unlock()
	s.es.Execute(func() { lt.enter(s) })
}

// enter appends s to the table, unless it was unlisted meanwhile (checked
// under mu: an unlist clears the bit before it takes mu). Home loop of s.
func (lt *loopTable) enter(s *Socket) {
	lt.mu.Lock()
	delta := -lt.dropPending(s)
	if s.bits.Load()&bitListed != 0 && s.tslot == noSlot {
		lt.socks = append(lt.socks, s)
		lt.ess = append(lt.ess, s.es)
		s.tslot = int32(len(lt.socks))
		delta++
	}
	lt.addN(delta)
	lt.mu.Unlock()
}

// leave removes s from the table (or its pending entries) if it is there.
func (lt *loopTable) leave(s *Socket) {
	lt.mu.Lock()
	delta := -lt.dropPending(s)
	if s.tslot != noSlot {
		lt.ess = removeAt(lt.ess, s.tslot, nil)
		lt.socks = removeAt(lt.socks, s.tslot, func(m *Socket, i int32) { m.tslot = i })
		s.tslot = noSlot
		delta--
	}
	lt.addN(delta)
	lt.mu.Unlock()
}

// dropPending removes s's pending entry, if any, and returns how many it
// removed (0 or 1), leaving n to the caller (addN). lt.mu held.
func (lt *loopTable) dropPending(s *Socket) int32 {
	for i, p := range lt.pending {
		if p.s == s {
			lt.pending = slices.Delete(lt.pending, i, i+1)
			return 1
		}
	}
	return 0
}

// addN applies to n the net change of one enter or leave, in a single
// step. Not "pending -1, then table +1": count and dispatchAll read n
// without mu, and a broadcast reading it between the two steps would find
// the table empty and skip it, losing the broadcast for the socket moving
// from pending into the table (recipients_recovery_test.go lost packets
// this way). lt.mu held.
func (lt *loopTable) addN(delta int32) {
	if delta != 0 {
		lt.n.Add(delta)
	}
}

// removeAt removes the element in slot (its index plus one) by moving the
// last one into its place (setSlot, unless nil, records its new slot), and
// shrinks the array once it is mostly empty, so that a table that held
// many sockets does not keep their memory.
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
// there with the current epoch. The lock keeps every pending entry either
// before or after all the tasks of the broadcast. Any goroutine.
func (r *recipients) dispatchAll(c *collector, p *engineio.Prepared, volatile bool, text []byte, atts [][]byte, ackID int64) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	for _, s := range r.movable {
		c.visit(s)
	}
	for _, lt := range r.tables {
		if lt.n.Load() > 0 {
			t := c.taskFor(lt.exec)
			t.table, t.epoch = lt, r.epoch
		}
	}
	c.dispatch(p, volatile, text, atts, ackID, nil)
}

// each calls fn for every listed socket (movable, in a table or pending)
// until fn returns false, under the locks of the tables: fn must be quick
// and must not call r. The sockets entering or leaving meanwhile may or
// may not be seen. Any goroutine.
func (r *recipients) each(fn func(*Socket) bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	for _, s := range r.movable {
		if !fn(s) {
			return
		}
	}
	for _, lt := range r.tables {
		if !lt.each(fn) {
			return
		}
	}
}

// each is recipients.each for one table. It reports whether to go on.
func (lt *loopTable) each(fn func(*Socket) bool) bool {
	lt.mu.Lock()
	defer lt.mu.Unlock()
	for _, s := range lt.socks {
		if !fn(s) {
			return false
		}
	}
	for _, p := range lt.pending {
		if !fn(p.s) {
			return false
		}
	}
	return true
}
