package socketio

import (
	"sync"
	"time"

	"github.com/sio-fast/sio-fast/engineio"
)

// loopTask writes one prepared packet to the recipients of a broadcast that
// live on one event loop. Tasks are pooled: a steady broadcast allocates
// nothing per recipient and nothing per loop.
type loopTask struct {
	exec  Executor
	seen  uint64 // engineio.HomeMoves when the recipients were last checked (rehome.go)
	socks []*Socket
	table *loopTable // with socks: the loop's table of a broadcast to all (recipients.go)
	epoch uint64     // the recipients' epoch when table was taken
	bcast
	fn func() // t.run, bound once so Execute does not allocate
	// The walk's tables, kept with the pooled task: the engine sessions
	// written in one batch, the sockets with outgoing catch-all listeners.
	direct []*engineio.Socket
	notify []*Socket
	late   []*Socket // pending in table: handed the broadcast through their session
	batch  engineio.Broadcast
	// With a FanoutObserver: the broadcast's start, and what flushed (bound
	// once, for the loop's AfterFlush) reports.
	obs     *FanoutObserver
	start   time.Time
	written int
	flushFn func()
}

// bcast is what one broadcast writes to each recipient.
type bcast struct {
	p        *engineio.Prepared
	volatile bool
	ackID    int64
	ack      *bcastAck
	text     []byte // the EVENT text message, for outgoing catch-all listeners
	atts     [][]byte
}

// taskPool is filled in init: its New refers to run, which puts tasks back.
var taskPool sync.Pool

func init() {
	taskPool.New = func() any {
		t := &loopTask{}
		t.fn = t.run
		t.flushFn = t.flushed
		return t
	}
}

// maxPooledRecipients bounds the recipient slice a pooled task keeps.
const maxPooledRecipients = 1 << 16

// run is the loop side of a broadcast, on loop t.exec.
//
// It walks the recipients in passes (see engineio.Broadcast): the sockets
// here, reading only each Socket's first cache line, then their engine
// sessions and connections in the engine. The outgoing catch-all listeners
// run last, once every recipient's frames are queued. A recipient that moved
// to another loop since it was collected (an upgrade, rehome.go) gets the
// broadcast there, in order; when no session moved, nothing is checked per
// recipient.
func (t *loopTask) run() {
	var last *Socket // a recipient collected here: its conn has t.exec's counters
	if engineio.HomesSettled(t.exec, t.seen) {
		for _, s := range t.socks {
			if t.collect(s) {
				last = s
			}
		}
	} else {
		for _, s := range t.socks {
			if !s.conn.es.OnHome(t.exec) {
				t.reroute(s)
				continue
			}
			if t.collect(s) {
				last = s
			}
		}
	}
	if t.table != nil {
		if s := t.walkTable(); s != nil {
			last = s
		}
		for _, s := range t.late {
			t.reroute(s) // in its session's order, behind its entry (recipients.go)
		}
	}
	t.written += t.batch.WritePrepared(t.direct, t.p, t.volatile)
	for _, s := range t.notify {
		s.notifyOutgoingText(t.text, t.atts)
	}
	if t.written > 0 {
		last.conn.countDeliveries(t.written)
		if t.obs != nil {
			if fn, ok := t.exec.(flushNotifier); ok {
				fn.AfterFlush(t.flushFn) // t goes back to the pool once observed
				return
			}
			t.flushed() // no loop to wait for (a test's executor): as handed over
			return
		}
	}
	t.release()
}

// walkTable is the first pass of run over the loop's table of a broadcast
// to all, under the table's lock: its sockets never move and all receive
// broadcasts (recipients.go), so none is checked. Unless a socket of the
// namespace ever had outgoing catch-all listeners, no Socket is read: the
// engine sessions are copied as they are. The pending sockets of t's epoch
// or earlier go to t.late. It returns a socket collected, or nil. Loop
// t.exec.
func (t *loopTask) walkTable() (last *Socket) {
	lt := t.table
	lt.mu.Lock()
	defer lt.mu.Unlock()
	for _, p := range lt.pending {
		if p.epoch <= t.epoch {
			t.late = append(t.late, p.s)
		}
	}
	if len(lt.socks) == 0 {
		return nil
	}
	if lt.socks[0].nsp.anyOut.Load() {
		for _, s := range lt.socks {
			if t.collect(s) {
				last = s
			}
		}
		return last
	}
	// Copied, not written under the lock: a write may close a session,
	// whose disconnection takes the lock to leave the table.
	t.direct = append(t.direct, lt.ess...)
	return lt.socks[0]
}

// flushed reports the loop's share of the broadcast to the observer, once
// the packets left, and returns t to the pool. Home loop.
func (t *loopTask) flushed() {
	(*t.obs)(t.written, time.Since(t.start))
	t.release()
}

// release empties t and returns it to the pool.
func (t *loopTask) release() {
	t.socks = resetTable(t.socks)
	t.direct = resetTable(t.direct)
	t.notify = resetTable(t.notify)
	t.late = resetTable(t.late)
	t.exec, t.table, t.epoch, t.bcast, t.obs, t.written = nil, nil, 0, bcast{}, nil, 0
	taskPool.Put(t)
}

// collect is the walk's first pass for s: the broadcast ack, then s's
// engine session into the batch written by engineio.Broadcast, or written
// at once when s's engine socket is not the engine's own (counted in
// t.written). It reports whether s receives broadcasts. Home loop of s.
func (t *loopTask) collect(s *Socket) bool {
	if !s.receivesBroadcasts() {
		return false
	}
	if t.ack != nil {
		s.addBroadcastAck(t.ackID, t.ack)
	}
	if es := s.es; es != nil {
		t.direct = append(t.direct, es) // no hop through conn, no interface call
	} else if s.conn.es.WritePrepared(t.p, t.volatile) {
		t.written++
	}
	if s.hasAnyOut() {
		t.notify = append(t.notify, s)
	}
	return true
}

// resetTable empties a pooled task's table, dropping it when a large
// broadcast made it bigger than maxPooledRecipients.
func resetTable[E any](s []E) []E {
	clear(s)
	if cap(s) > maxPooledRecipients {
		return nil
	}
	return s[:0]
}

// deliver writes the broadcast to one recipient that moved (rehome.go) and
// reports whether a packet was written (not a volatile one dropped). Home
// loop of s.
func (b *bcast) deliver(s *Socket) bool {
	if !s.receivesBroadcasts() {
		return false
	}
	if b.ack != nil {
		s.addBroadcastAck(b.ackID, b.ack)
	}
	written := s.conn.es.WritePrepared(b.p, b.volatile)
	if s.hasAnyOut() {
		s.notifyOutgoingText(b.text, b.atts)
	}
	return written
}

// deliverMoved is deliver for a recipient that moved away from the loop its
// broadcast was collected for, counted on its new home loop. Home loop of s.
func (b *bcast) deliverMoved(s *Socket) {
	if b.deliver(s) {
		s.conn.countDeliveries(1)
	}
}

// collector groups the recipients of one broadcast by home loop while the
// room index is enumerated.
type collector struct {
	tasks []*loopTask
	last  *loopTask
	n     int
	moves uint64             // engineio.HomeMoves before the first home was read
	obs   *FanoutObserver    // the server's, read once per broadcast
	start time.Time          // set with obs
	add   func(*Socket) bool // c.visit, bound once
}

var collectorPool = sync.Pool{New: func() any {
	c := &collector{}
	c.add = c.visit
	return c
}}

// newCollector returns a pooled collector for one broadcast.
func newCollector() *collector {
	c := collectorPool.Get().(*collector)
	c.moves = engineio.HomeMoves()
	return c
}

func (c *collector) visit(s *Socket) bool {
	if !s.receivesBroadcasts() {
		return true
	}
	c.n++
	t := c.taskFor(s.engineHome())
	t.socks = append(t.socks, s)
	return true
}

// taskFor returns the broadcast's task for loop home, taken from the pool
// on first use.
func (c *collector) taskFor(home Executor) *loopTask {
	if c.last != nil && c.last.exec == home {
		return c.last
	}
	for _, t := range c.tasks {
		if t.exec == home {
			c.last = t
			return t
		}
	}
	t := taskPool.Get().(*loopTask)
	t.exec = home
	c.tasks = append(c.tasks, t)
	c.last = t
	return t
}

// dispatch hands every task to its loop, or returns them to the pool when
// p is nil, then releases the collector.
func (c *collector) dispatch(p *engineio.Prepared, volatile bool, text []byte, atts [][]byte, ackID int64, ack *bcastAck) {
	for i, t := range c.tasks {
		if p == nil {
			t.table = nil // nothing to write: not walked
			t.run()
		} else {
			t.bcast = bcast{p: p, volatile: volatile, text: text, atts: atts, ackID: ackID, ack: ack}
			t.obs, t.start = c.obs, c.start
			c.queue(t)
		}
		c.tasks[i] = nil
	}
	c.tasks, c.last, c.n, c.obs = c.tasks[:0], nil, 0, nil
	collectorPool.Put(c)
}

// engineHome is the home loop of s's engine session, read through the
// direct engine pointer when there is one (no hop through conn). Any
// goroutine; it changes only when the session moves at an upgrade.
func (s *Socket) engineHome() Executor {
	if s.es != nil {
		return s.es.Home()
	}
	return s.conn.es.Home()
}
