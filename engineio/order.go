package engineio

import (
	"sync"
	"time"

	"github.com/sio-fast/sio-fast/engineio/packet"
	"github.com/sio-fast/sio-fast/loop"
)

// The polling requests of one session may arrive on connections of
// different loops, and they take effect on the session's home loop. A
// request read on the home loop itself could run at once, before one read
// earlier on another loop whose hand-off still waits in the home loop's
// inbox: a GET followed by a POST carrying the close packet would then see
// the session closed and get 400, where Node (one thread, requests in the
// order they arrived) answers the GET with a noop. So every request takes a
// ticket when it is read, and the home loop applies them in ticket order:
// one out of turn waits in the server's parked table for its predecessors.
// That is rare (two requests of one session read at the same moment on two
// loops), and costs one atomic add per request otherwise.

// The bits of Socket.state above the ready state and the transport.
const (
	statePost   = 8 // a POST is being decoded (any loop; see tryPost)
	ticketShift = 4 // the rest counts the requests that arrived
	ticketMask  = 1<<(32-ticketShift) - 1
)

// sessionRequest is a polling request for a session, captured on the loop
// that read it: a GET, or the decoded packets of a POST.
type sessionRequest struct {
	get  *pollGet
	post *pollPost
}

// pollPost is a decoded polling POST waiting for its turn; its answer goes
// to the connection it came on, which may live on another loop.
type pollPost struct {
	reply pollGet // the connection and what its answer needs
	pkts  []packet.Packet
	data  []byte // the bytes of every packet in pkts
	// scratch is the decoder's (base64 binary packets), kept with the
	// connection's POST buffers rather than on every connection.
	scratch []byte
	// failReason is set for a POST refused where it was read (a body that
	// does not decode, binary content on v4, an overlapping POST): in its
	// turn it is answered 400 and closes the session with failReason and
	// failDesc, unless the heartbeat deadline passed first (then 400
	// "Session ID unknown" and "ping timeout", as for any late request).
	failReason, failDesc string
}

// parkedRequests holds the requests that arrived at their home loop before
// a request read earlier on another loop. Any home loop uses it, for its
// own sessions only.
type parkedRequests struct {
	mu sync.Mutex
	m  map[*Socket]map[uint32]sessionRequest
}

// receive takes r's ticket and applies r on the home loop in ticket order:
// at once when read there and nothing earlier is pending, else through the
// home loop's inbox. Loop `from` only (the loop that read the request).
func (s *Socket) receive(from *loop.Loop, r sessionRequest) {
	t := s.state.Add(1<<ticketShift) >> ticketShift
	if s.home.Here(from) {
		s.inTurn(t, r)
		return
	}
	task := func() { s.inTurn(t, r) }
	if hook := s.srv.handoffDelay; hook != nil {
		if d := hook(r); d > 0 {
			time.AfterFunc(d, func() { s.home.Execute(task) })
			return
		}
	}
	s.home.Execute(task)
}

// inTurn applies the request with ticket t once every earlier one was
// applied, then the parked requests that were waiting for it. Home loop.
func (s *Socket) inTurn(t uint32, r sessionRequest) {
	if t != (s.applied+1)&ticketMask {
		s.srv.parked.park(s, t, r)
		s.waiting = true
		return
	}
	s.apply(r)
	s.applied = t
	for s.waiting {
		next := (s.applied + 1) & ticketMask
		r, ok, more := s.srv.parked.take(s, next)
		s.waiting = more
		if !ok {
			return
		}
		s.apply(r)
		s.applied = next
	}
}

// apply runs one request on the home loop.
func (s *Socket) apply(r sessionRequest) {
	if r.get != nil {
		s.onPollGet(r.get)
		return
	}
	s.onPollPost(r.post)
}

func (p *parkedRequests) park(s *Socket, t uint32, r sessionRequest) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.m == nil {
		p.m = make(map[*Socket]map[uint32]sessionRequest)
	}
	q := p.m[s]
	if q == nil {
		q = make(map[uint32]sessionRequest)
		p.m[s] = q
	}
	q[t] = r
}

// take removes the request with ticket t of s, if parked, and reports
// whether other requests of s remain parked.
func (p *parkedRequests) take(s *Socket, t uint32) (r sessionRequest, ok, more bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	q := p.m[s]
	if r, ok = q[t]; ok {
		delete(q, t)
	}
	if len(q) == 0 {
		delete(p.m, s)
		return r, ok, false
	}
	return r, ok, true
}

// markClosed records that connection c of s closed while a GET read on it
// waits here for its turn: when its turn comes the session ends as if the
// GET had been parked (onPollGet). Home loop of s.
func (p *parkedRequests) markClosed(s *Socket, c *loop.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, r := range p.m[s] {
		if r.get != nil && r.get.c == c {
			r.get.closed = true
		}
	}
}

// tryPost marks a POST as being decoded; false when one already is (Node
// refuses overlapping POSTs). Any loop.
func (s *Socket) tryPost() bool {
	for {
		old := s.state.Load()
		if old&statePost != 0 {
			return false
		}
		if s.state.CompareAndSwap(old, old|statePost) {
			return true
		}
	}
}

// endPost clears the mark of tryPost. Any loop.
func (s *Socket) endPost() { s.state.And(^uint32(statePost)) }
