package socketio

import (
	"sync"

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
	// The walk's tables, kept with the pooled task: the engine sessions
	// written in one batch, the sockets with outgoing catch-all listeners.
	direct []*engineio.Socket
	notify []*Socket
	batch  engineio.Broadcast
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

// run is the loop side of a broadcast. Home loop of every socket in t.socks.
//
// It walks the recipients in passes (see engineio.Broadcast): the sockets
// here, reading only each Socket's first cache line, then their engine
// sessions and connections in the engine. The outgoing catch-all listeners
// run last, once every recipient's frames are queued.
func (t *loopTask) run() {
	for _, s := range t.socks {
		if !s.receivesBroadcasts() {
			continue
		}
		if t.ack != nil {
			s.addBroadcastAck(t.ackID, t.ack)
		}
		if es := s.es; es != nil {
			t.direct = append(t.direct, es) // no hop through conn, no interface call
		} else {
			s.conn.es.WritePrepared(t.p, t.volatile)
		}
		if s.hasAnyOut() {
			t.notify = append(t.notify, s)
		}
	}
	t.batch.WritePrepared(t.direct, t.p, t.volatile)
	for _, s := range t.notify {
		s.notifyOutgoingText(t.text, t.atts)
	}
	t.socks = resetTable(t.socks)
	t.direct = resetTable(t.direct)
	t.notify = resetTable(t.notify)
	t.exec, t.p, t.ack, t.text, t.atts = nil, nil, nil, nil, nil
	taskPool.Put(t)
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

// collector groups the recipients of one broadcast by home loop while the
// room index is enumerated.
type collector struct {
	tasks []*loopTask
	last  *loopTask
	n     int
	add   func(*Socket) bool // c.visit, bound once
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
			t.exec.Execute(t.fn)
		}
		c.tasks[i] = nil
	}
	c.tasks, c.last, c.n = c.tasks[:0], nil, 0
	collectorPool.Put(c)
}
