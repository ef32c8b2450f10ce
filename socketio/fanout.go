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
	bcast
	fn func() // t.run, bound once so Execute does not allocate
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

// run is the loop side of a broadcast, on loop t.exec. A recipient that
// moved to another loop since it was collected (an upgrade, rehome.go) gets
// the broadcast there, in order (counted there, not observed).
func (t *loopTask) run() {
	written := 0
	var last *Socket // a recipient written to here: its conn has t.exec's counters
	if engineio.HomesSettled(t.exec, t.seen) {
		for _, s := range t.socks {
			if t.deliver(s) {
				written, last = written+1, s
			}
		}
	} else {
		for _, s := range t.socks {
			if !s.conn.es.OnHome(t.exec) {
				t.reroute(s)
				continue
			}
			if t.deliver(s) {
				written, last = written+1, s
			}
		}
	}
	if written > 0 {
		last.conn.countDeliveries(written)
		if t.obs != nil {
			t.written = written
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

// flushed reports the loop's share of the broadcast to the observer, once
// the packets left, and returns t to the pool. Home loop.
func (t *loopTask) flushed() {
	(*t.obs)(t.written, time.Since(t.start))
	t.release()
}

// release empties t and returns it to the pool.
func (t *loopTask) release() {
	clear(t.socks)
	t.socks = t.socks[:0]
	if cap(t.socks) > maxPooledRecipients {
		t.socks = nil
	}
	t.exec, t.bcast, t.obs = nil, bcast{}, nil
	taskPool.Put(t)
}

// deliver writes the broadcast to s and reports whether a packet was
// written (not a volatile one dropped). Home loop of s.
func (b *bcast) deliver(s *Socket) bool {
	if !s.receivesBroadcasts() {
		return false
	}
	if b.ack != nil {
		s.addBroadcastAck(b.ackID, b.ack)
	}
	written := s.conn.es.WritePrepared(b.p, b.volatile)
	if s.hasAnyOut.Load() {
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
	add   func(*Socket) bool // c.visit, bound once
	obs   *FanoutObserver    // the server's, read once per broadcast
	start time.Time          // set with obs
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
	home := s.conn.es.Home()
	if c.last != nil && c.last.exec == home {
		c.last.socks = append(c.last.socks, s)
		return true
	}
	for _, t := range c.tasks {
		if t.exec == home {
			c.last = t
			t.socks = append(t.socks, s)
			return true
		}
	}
	t := taskPool.Get().(*loopTask)
	t.exec = home
	t.socks = append(t.socks, s)
	c.tasks = append(c.tasks, t)
	c.last = t
	return true
}

// dispatch hands every task to its loop, or returns them to the pool when
// p is nil, then releases the collector.
func (c *collector) dispatch(p *engineio.Prepared, volatile bool, text []byte, atts [][]byte, ackID int64, ack *bcastAck) {
	for i, t := range c.tasks {
		if p == nil {
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
