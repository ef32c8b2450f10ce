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
	exec     Executor
	socks    []*Socket
	p        *engineio.Prepared
	volatile bool
	ackID    int64
	ack      *bcastAck
	text     []byte // the EVENT text message, for outgoing catch-all listeners
	atts     [][]byte
	fn       func() // t.run, bound once so Execute does not allocate
	// With a FanoutObserver: the broadcast's start, and what flushed (bound
	// once, for the loop's AfterFlush) reports.
	obs     *FanoutObserver
	start   time.Time
	written int
	flushFn func()
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

// run is the loop side of a broadcast. Home loop of every socket in t.socks.
func (t *loopTask) run() {
	written := 0
	for _, s := range t.socks {
		if !s.receivesBroadcasts() {
			continue
		}
		if t.ack != nil {
			s.addBroadcastAck(t.ackID, t.ack)
		}
		if s.conn.es.WritePrepared(t.p, t.volatile) {
			written++ // not a volatile packet dropped
		}
		if s.hasAnyOut.Load() {
			s.notifyOutgoingText(t.text, t.atts)
		}
	}
	if written > 0 {
		c := &t.socks[0].conn.loop.counters // every socket of t has the same home loop
		c.deliveries.Add(uint64(written))
		c.packetsOut.Add(uint64(written))
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
	t.exec, t.p, t.ack, t.text, t.atts, t.obs = nil, nil, nil, nil, nil, nil
	taskPool.Put(t)
}

// collector groups the recipients of one broadcast by home loop while the
// room index is enumerated.
type collector struct {
	tasks []*loopTask
	last  *loopTask
	n     int
	add   func(*Socket) bool // c.visit, bound once
	obs   *FanoutObserver    // the server's, read once per broadcast
	start time.Time          // set with obs
}

var collectorPool = sync.Pool{New: func() any {
	c := &collector{}
	c.add = c.visit
	return c
}}

func (c *collector) visit(s *Socket) bool {
	if !s.receivesBroadcasts() {
		return true
	}
	c.n++
	if c.last != nil && c.last.exec == s.home {
		c.last.socks = append(c.last.socks, s)
		return true
	}
	for _, t := range c.tasks {
		if t.exec == s.home {
			c.last = t
			t.socks = append(t.socks, s)
			return true
		}
	}
	t := taskPool.Get().(*loopTask)
	t.exec = s.home
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
			t.p, t.volatile, t.text, t.atts, t.ackID, t.ack = p, volatile, text, atts, ackID, ack
			t.obs, t.start = c.obs, c.start
			t.exec.Execute(t.fn)
		}
		c.tasks[i] = nil
	}
	c.tasks, c.last, c.n, c.obs = c.tasks[:0], nil, 0, nil
	collectorPool.Put(c)
}
