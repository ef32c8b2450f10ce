package socketio

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/sio-fast/sio-fast/socketio/parser"
)

// AckFunc answers an incoming event that asked for an acknowledgement. It is
// nil when the client asked for none. Values follow the Emit rules (raw JSON,
// []byte attachments, Args echoed as received, other Go values via jsonx).
// Only the first call sends anything; later calls return ErrAckSent. It
// returns ErrDisconnected when the socket is gone and the encoding error
// when a value cannot be encoded (nothing is sent then, and the call does
// not count as the answer). Safe from any goroutine, also after the handler
// returned (that is how slow work acks: call it from Socket.Go or your own
// goroutine).
type AckFunc func(values ...any) error

// AckCallback receives the client's answer to an emit with ack: err is nil
// and args the response, or err is ErrAckTimeout (or the context's error)
// and args empty. It runs like an event handler of the socket (home loop, or
// the socket's goroutine in HandlerAsync mode); args follow the package's
// argument lifetime rule (valid during the call; kept past it only for work
// queued with Socket.Go).
type AckCallback func(err error, args Args)

// BroadcastAckCallback receives the responses of a broadcast with ack: err
// is nil when every recipient answered, ErrAckTimeout otherwise (responses
// then holds the answers received so far). It runs once, on a new goroutine;
// the responses are private copies.
type BroadcastAckCallback func(err error, responses []Args)

// ackEntry is one pending server→client ack of a socket.
type ackEntry struct {
	cb    AckCallback
	bc    *bcastAck
	timer *time.Timer
}

// addAck registers cb under id with an optional timeout. Any goroutine.
func (s *Socket) addAck(id int64, cb AckCallback, timeout time.Duration) {
	e := ackEntry{cb: cb}
	s.mu.Lock()
	if s.acks == nil {
		s.own().acks = make(map[int64]ackEntry)
	}
	if timeout > 0 { // armed under the lock: the timer cannot miss the entry
		e.timer = time.AfterFunc(timeout, func() { s.ackTimedOut(id) })
	}
	s.acks[id] = e
	s.mu.Unlock()
}

// addBroadcastAck registers a broadcast collector under id. Home loop.
func (s *Socket) addBroadcastAck(id int64, b *bcastAck) {
	s.mu.Lock()
	if s.acks == nil {
		s.own().acks = make(map[int64]ackEntry)
	}
	s.acks[id] = ackEntry{bc: b}
	s.mu.Unlock()
}

func (s *Socket) takeAck(id int64) (ackEntry, bool) {
	s.mu.Lock()
	e, ok := s.acks[id]
	if ok {
		delete(s.acks, id)
	}
	s.mu.Unlock()
	if ok && e.timer != nil {
		e.timer.Stop()
	}
	return e, ok
}

// ackTimedOut runs on the timer goroutine.
func (s *Socket) ackTimedOut(id int64) {
	e, ok := s.takeAck(id)
	if !ok || e.cb == nil {
		return
	}
	s.conn.es.Execute(func() {
		s.conn.watchedCall(s, "(ack timeout)", func() { s.run(func() { e.cb(ErrAckTimeout, Args{}) }) })
	})
}

// onAck handles an ACK/BINARY_ACK packet. Home loop. Unknown ids are ignored.
func (s *Socket) onAck(pkt *parser.Packet) {
	e, ok := s.takeAck(pkt.ID)
	if !ok {
		return
	}
	inner, err := parser.ArrayElems(pkt.Data)
	if err != nil {
		return
	}
	table := getArgTable()
	defer putArgTable(table)
	elems, err := splitArgs(*table, inner)
	*table = elems
	if err != nil {
		return
	}
	if s.nsp.srv.async && e.bc == nil {
		args := Args{elems: elems, atts: pkt.Attachments}.copyOut()
		s.run(func() { e.cb(nil, args) })
		return
	}
	if e.bc != nil {
		args, lease := lend(elems, pkt.Attachments)
		e.bc.onAck(args) // the collector keeps a copy
		lease.end(args, false)
		return
	}
	args, lease := lendOn(s.conn.ls(), elems, pkt.Attachments)
	s.safe(func() { e.cb(nil, args) })
	lease.endOn(s.conn.ls(), args, false)
}

// bcastAck collects the answers of a broadcast with ack.
type bcastAck struct {
	onAck func(Args) // adapter-level per-response callback
}

// ackCollector implements Node's broadcast-ack completion: done when every
// node reported its client count and every client answered, or at timeout.
type ackCollector struct {
	mu        sync.Mutex
	expected  int
	nodes     int // node counts still awaited
	responses []Args
	finished  atomic.Bool
	timer     *time.Timer
	cb        BroadcastAckCallback
}

func newAckCollector(nodes int, timeout time.Duration, cb BroadcastAckCallback) *ackCollector {
	c := &ackCollector{nodes: nodes, cb: cb}
	c.mu.Lock()
	c.timer = time.AfterFunc(timeout, func() { c.finish(ErrAckTimeout) })
	c.mu.Unlock()
	return c
}

func (c *ackCollector) clientCount(n int) {
	c.mu.Lock()
	c.expected += n
	c.nodes--
	done := c.nodes <= 0 && len(c.responses) >= c.expected
	c.mu.Unlock()
	if done {
		c.finish(nil)
	}
}

func (c *ackCollector) ack(args Args) {
	args = args.Clone()
	c.mu.Lock()
	c.responses = append(c.responses, args)
	done := c.nodes <= 0 && len(c.responses) >= c.expected
	c.mu.Unlock()
	if done {
		c.finish(nil)
	}
}

func (c *ackCollector) finish(err error) {
	if !c.finished.CompareAndSwap(false, true) {
		return
	}
	c.mu.Lock()
	c.timer.Stop()
	res := c.responses
	c.mu.Unlock()
	go c.cb(err, res)
}
