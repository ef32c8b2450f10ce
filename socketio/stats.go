package socketio

import (
	"sync/atomic"
	"time"
)

// Stats are a server's cumulative Socket.IO counters. They are kept per
// event loop (an uncontended atomic add where the event happens, no
// allocation) and summed when read, so they cost next to nothing when
// nobody reads them.
type Stats struct {
	// Handshakes counts the Engine.IO sessions attached to the server, by
	// the transport they opened with (an upgrade later does not move them).
	HandshakesPolling, HandshakesWebSocket uint64
	// PacketsIn counts the Socket.IO packets decoded from clients (a binary
	// packet once, with its attachments); PacketsOut those sent to one
	// socket each: CONNECT answers, emits, acks, DISCONNECTs and broadcast
	// deliveries.
	PacketsIn, PacketsOut uint64
	// Broadcasts counts the broadcasts handed to local sockets (a cluster
	// adapter's remote ones included, once per node); Deliveries the packets
	// they wrote, one per recipient (also in PacketsOut; volatile packets
	// dropped are not).
	Broadcasts, Deliveries uint64
}

// loopCounters are the counters of one event loop (loopState): only that
// loop adds to them, except packetsOut, which an emit from another
// goroutine adds to as well.
type loopCounters struct {
	handshakesPolling, handshakesWS atomic.Uint64
	packetsIn, packetsOut           atomic.Uint64
	deliveries                      atomic.Uint64
}

// Stats sums the counters of every loop. Any goroutine.
func (srv *Server) Stats() Stats {
	st := Stats{Broadcasts: srv.broadcasts.Load()}
	w := srv.watch
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, ls := range w.loops {
		c := &ls.counters
		st.HandshakesPolling += c.handshakesPolling.Load()
		st.HandshakesWebSocket += c.handshakesWS.Load()
		st.PacketsIn += c.packetsIn.Load()
		st.PacketsOut += c.packetsOut.Load()
		st.Deliveries += c.deliveries.Load()
	}
	return st
}

// countHandshake counts a new session by its transport. Home loop.
func (c *conn) countHandshake() {
	if c.es.Transport() == "websocket" {
		c.ls().counters.handshakesWS.Add(1)
	} else {
		c.ls().counters.handshakesPolling.Add(1)
	}
}

// countSent counts a packet sent on c. Any goroutine.
func (c *conn) countSent() { c.ls().counters.packetsOut.Add(1) }

// countDeliveries counts n broadcast packets written on c's home loop (to
// c and other recipients there). Home loop.
func (c *conn) countDeliveries(n int) {
	lc := &c.ls().counters
	lc.deliveries.Add(uint64(n))
	lc.packetsOut.Add(uint64(n))
}

// FanoutObserver is told, for each broadcast and each event loop its local
// recipients live on, how many of them that loop wrote to and how long
// after the broadcast started the loop had flushed their packets (handed
// them to the kernel, or to the loop's buffer when a socket was full): the
// fan-out latency, one observation per loop. It runs on that loop and must
// not block.
type FanoutObserver func(recipients int, d time.Duration)

// ObserveFanout installs fn (nil removes it). Without one, a broadcast
// pays one atomic load for it; with one, a clock read per broadcast and per
// loop, and no allocation. Any goroutine.
func (srv *Server) ObserveFanout(fn FanoutObserver) {
	if fn == nil {
		srv.fanoutObs.Store(nil)
		return
	}
	srv.fanoutObs.Store(&fn)
}

// flushNotifier is the event loop's AfterFlush (loop.Loop), which tells a
// broadcast task when its writes have left.
type flushNotifier interface{ AfterFlush(fn func()) }
