package wsclient

import (
	"bytes"
	"net/netip"
	"net/url"
	"strconv"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// TransportPolling: a client that never leaves HTTP long-polling.
//
//	conn A: GET ?EIO=4&transport=polling         → 200, 0{"sid":"S",...}
//	conn A: GET ?EIO=4&transport=polling&sid=S   → 200, packets (held by the
//	        server until it has something: a ping, 40{...}, broadcasts)
//	        … the next GET as soon as one is answered, for ever
//	pool:   POST ?EIO=4&transport=polling&sid=S  body "40", "3", "42[...]"
//
// Each client owns its GET connection, so 10,000 clients hold 10,000
// long-polls and about as many descriptors. A browser sends its POSTs on a
// second connection of its pool; here they share a few keep-alive
// connections of the engine (postPool, Config.PostConns), one request in flight on each, so
// the generator stays within 20,000 descriptors. The server does not mind
// which connection carries a POST: the sid names the session. A client has
// at most one POST in flight, as socket.io-client: packets sent meanwhile
// wait and leave together in the next one, joined by the record separator.

// pollClient is the polling state of a client. Fields are guarded by the
// engine's postPool.mu.
type pollClient struct {
	busy bool   // a POST is in flight or waits for a pool connection
	next []byte // packets for the next POST, 0x1e-separated
}

// poster is the state of a pool connection (Conn.poster), guarded by
// postPool.mu.
type poster struct {
	owner *Conn  // client whose POST is in flight; nil when idle
	body  []byte // that POST's packets, resent if the connection dies first
	req   []byte // request-building buffer
	since time.Time
}

// posterStale retires an idle pool connection before the server's
// keep-alive timeout (5 s in sio-fast and Node) closes it under a request.
const posterStale = 3 * time.Second

// DefaultPostConns bounds the POST pool when Config.PostConns is 0: POSTs
// wait for a free connection beyond it. Each pool connection carries one
// request at a time, so a server that answers slowly makes pongs wait here:
// too small a pool under a backlogged server delays pongs past the ping
// timeout and the server drops those clients.
const DefaultPostConns = 64

// postPool is the engine's pool of POST connections.
type postPool struct {
	e       *Engine
	mu      sync.Mutex
	idle    []*Conn
	open    int     // pool connections open or connecting
	dialing int     // of which connecting
	waiting []*Conn // clients whose POST waits for a pool connection
}

const recordSep = 0x1e

// startPolling follows the handshake: the client connects the namespace
// ("40" in a POST) and parks its first GET. Worker only.
func (w *worker) startPolling(c *Conn) error {
	c.state = stConnect
	if err := w.e.posts.post(c, []byte("40")); err != nil {
		return err
	}
	return w.getNext(c)
}

// getNext sends the client's next long-poll GET. Worker only.
func (w *worker) getNext(c *Conn) error {
	w.out = append(w.out[:0], "GET /socket.io/?EIO=4&transport=polling&sid="...)
	w.out = append(w.out, url.QueryEscape(c.sid)...)
	w.out = append(w.out, w.e.hostHeaders...)
	return c.Send(w.out)
}

// pollResponses handles the responses at the head of buf on a polling
// client's GET connection: the handshake, then each GET's packets, each
// followed by the next GET. Worker only.
func (w *worker) pollResponses(c *Conn, buf []byte, now time.Time) (int, error) {
	if c.state == stPolling {
		return w.polled(c, buf)
	}
	n, body, err := response(buf, ErrPollResponse)
	if n == 0 || err != nil {
		return 0, err
	}
	for p := range bytes.SplitSeq(body, []byte{recordSep}) {
		if err := w.packet(c, p, now); err != nil {
			return n, err
		}
	}
	return n, w.getNext(c)
}

// postResponse handles the answer to a POST on pool connection c. Worker
// only.
func (w *worker) postResponse(c *Conn, buf []byte) (int, error) {
	n, _, err := response(buf, ErrPollResponse)
	if n == 0 && err == nil {
		return 0, nil
	}
	// A refused POST (the session is gone) fails its client, not the pool
	// connection, which stays usable when the answer was complete.
	if owner := w.e.posts.done(c, err == nil); err != nil && owner != nil {
		owner.Abort()
	}
	return n, err
}

// Post sends one Engine.IO packet (e.g. "42[...]", without framing) from a
// polling client in its next POST. Any goroutine.
func (c *Conn) Post(pkt []byte) error {
	if c.poll == nil {
		return ErrNotPolling
	}
	return c.w.e.posts.post(c, pkt)
}

// post queues pkt for c's next POST and sends it when c has none in flight.
func (p *postPool) post(c *Conn, pkt []byte) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	pc := c.poll
	if len(pc.next) > 0 {
		pc.next = append(pc.next, recordSep)
	}
	pc.next = append(pc.next, pkt...)
	if pc.busy {
		return nil
	}
	pc.busy = true
	p.waiting = append(p.waiting, c)
	return p.dispatchLocked()
}

// dispatchLocked sends waiting clients' POSTs on idle pool connections,
// retiring stale ones, and opens connections while clients wait. p.mu held.
func (p *postPool) dispatchLocked() error {
	for len(p.waiting) > 0 && len(p.idle) > 0 {
		pc := p.idle[len(p.idle)-1]
		p.idle = p.idle[:len(p.idle)-1]
		if time.Since(pc.poster.since) > posterStale {
			pc.Abort() // its close is counted in closed
			continue
		}
		p.sendLocked(pc)
	}
	for len(p.waiting) > p.dialing && p.open < p.e.cfg.PostConns && !p.e.stop.Load() {
		if err := p.e.dialPoster(); err != nil {
			return err
		}
		p.open++
		p.dialing++
	}
	return nil
}

// sendLocked sends the first waiting client's packets on pool connection
// pc. A failed write shows as pc's close, which resends them. p.mu held.
func (p *postPool) sendLocked(pc *Conn) {
	c := p.waiting[0]
	p.waiting = p.waiting[1:]
	ps := pc.poster
	ps.owner = c
	ps.body, c.poll.next = c.poll.next, ps.body[:0]
	ps.req = append(ps.req[:0], "POST /socket.io/?EIO=4&transport=polling&sid="...)
	ps.req = append(ps.req, url.QueryEscape(c.sid)...)
	ps.req = append(ps.req, p.e.postHeaders...)
	ps.req = strconv.AppendInt(ps.req, int64(len(ps.body)), 10)
	ps.req = append(ps.req, "\r\n\r\n"...)
	ps.req = append(ps.req, ps.body...)
	_ = pc.Send(ps.req)
}

// ready puts a freshly connected pool connection to work. Worker only.
func (p *postPool) ready(pc *Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.dialing--
	pc.poster.since = time.Now()
	p.idle = append(p.idle, pc)
	_ = p.dispatchLocked()
}

// done records the answer to pc's POST (ok: a 200) and returns the client
// that sent it. The client's next packets, if any, queue again. Worker only.
func (p *postPool) done(pc *Conn, ok bool) *Conn {
	p.mu.Lock()
	defer p.mu.Unlock()
	ps := pc.poster
	c := ps.owner
	ps.owner = nil
	if c == nil {
		return nil
	}
	if len(c.poll.next) > 0 {
		p.waiting = append(p.waiting, c)
	} else {
		c.poll.busy = false
	}
	if ok {
		ps.since = time.Now()
		p.idle = append(p.idle, pc)
	}
	_ = p.dispatchLocked()
	return c
}

// closed forgets pool connection pc (the server closed it, or it was
// retired); a POST in flight on it is sent again, first. Worker only.
func (p *postPool) closed(pc *Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.open--
	if pc.state == stConnecting {
		p.dialing--
	}
	for i, x := range p.idle {
		if x == pc {
			p.idle = append(p.idle[:i], p.idle[i+1:]...)
			break
		}
	}
	if c := pc.poster.owner; c != nil {
		pc.poster.owner = nil
		if len(c.poll.next) > 0 {
			pc.poster.body = append(append(pc.poster.body, recordSep), c.poll.next...)
		}
		c.poll.next, pc.poster.body = pc.poster.body, c.poll.next
		p.waiting = append([]*Conn{c}, p.waiting...)
	}
	_ = p.dispatchLocked()
}

// dialPoster opens a pool connection on the next worker.
func (e *Engine) dialPoster() error {
	fd, err := e.socket(netip.Addr{})
	if err != nil {
		return err
	}
	w := e.workers[int(e.next.Add(1))%len(e.workers)]
	c := &Conn{ID: -1, Started: time.Now(), Room: -1, fd: fd, w: w, state: stConnecting, poster: &poster{}}
	if err := e.start(c, fd); err != nil {
		e.table[fd].Store(nil)
		unix.Close(fd)
		return err
	}
	return nil
}
