package socketio

import (
	"sync"

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
		return t
	}
}

// maxPooledRecipients bounds the recipient slice a pooled task keeps.
const maxPooledRecipients = 1 << 16

// run is the loop side of a broadcast, on loop t.exec. A recipient that
// moved to another loop since it was collected (an upgrade, rehome.go) gets
// the broadcast there, in order.
func (t *loopTask) run() {
	if engineio.HomesSettled(t.exec, t.seen) {
		for _, s := range t.socks {
			t.deliver(s)
		}
	} else {
		for _, s := range t.socks {
			if !s.conn.es.OnHome(t.exec) {
				t.reroute(s)
				continue
			}
			t.deliver(s)
		}
	}
	clear(t.socks)
	t.socks = t.socks[:0]
	if cap(t.socks) > maxPooledRecipients {
		t.socks = nil
	}
	t.exec, t.bcast = nil, bcast{}
	taskPool.Put(t)
}

// deliver writes the broadcast to s. Home loop of s.
func (b *bcast) deliver(s *Socket) {
	if !s.receivesBroadcasts() {
		return
	}
	if b.ack != nil {
		s.addBroadcastAck(b.ackID, b.ack)
	}
	s.conn.es.WritePrepared(b.p, b.volatile)
	if s.hasAnyOut.Load() {
		s.notifyOutgoingText(b.text, b.atts)
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
			c.queue(t)
		}
		c.tasks[i] = nil
	}
	c.tasks, c.last, c.n = c.tasks[:0], nil, 0
	collectorPool.Put(c)
}
