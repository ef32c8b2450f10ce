package socketio

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/sio-fast/sio-fast/socketio/parser"
)

// stallWatch is the loop-stall watchdog: it notices user code (handlers,
// listeners, middlewares, ack callbacks run inline) that holds an event
// loop longer than Config.StallThreshold.
//
// It costs no clock read per packet: a goroutine advances a coarse clock
// (one tick every threshold/4) and scans one loopState per event loop. A
// loop stamps its loopState with the coarse time when it starts handling a
// packet and clears it after: two atomic stores. The scan flags a stamp
// older than the threshold (logged at once with the namespace and socket,
// counted); the loop, when the callback finally returns, logs the event
// name and how long it held the loop. The goroutine runs from the first
// session to Server.Close.
type stallWatch struct {
	srv       *Server
	threshold time.Duration
	tick      time.Duration
	clock     atomic.Int64 // coarse ticks since start, from 1
	stalls    atomic.Uint64

	mu      sync.Mutex
	loops   map[Executor]*loopState
	stop    chan struct{} // nil until started
	stopped bool          // close was called
}

// loopState is the server's state of one event loop. since and sock are
// written by the loop, read by the watchdog; flagged is written by the
// watchdog only: the since of the callback it reported (a later callback
// starts at least a threshold later, so it never matches a stale flag).
type loopState struct {
	// srv is the server: a conn finds it here rather than in a field of
	// its own (8 bytes that took conn from 64 to 80 in size class).
	srv     *Server
	goCalls atomic.Uint64 // Socket.Go and GoConcurrent calls (see endOn)
	spare   *argLease     // a retired lease for the next call (lendOn), home loop only
	last    *Socket       // the socket last stored in sock, home loop only
	since   atomic.Int64  // coarse time the running callback started, 0 when idle
	sock    atomic.Pointer[Socket]
	flagged atomic.Int64

	counters loopCounters // Server.Stats (stats.go)
}

// newStallWatch returns the watchdog, off (threshold < 0) or not: it also
// keeps the per-loop states.
func newStallWatch(srv *Server, threshold time.Duration) *stallWatch {
	w := &stallWatch{srv: srv, threshold: threshold, loops: map[Executor]*loopState{}}
	if threshold >= 0 {
		w.tick = max(threshold/4, time.Millisecond)
	}
	return w
}

// forLoop returns the loopState of home, starting the watchdog on first
// use. Any goroutine (once per session).
func (w *stallWatch) forLoop(home Executor) *loopState {
	w.mu.Lock()
	defer w.mu.Unlock()
	ls := w.loops[home]
	if ls == nil {
		ls = &loopState{srv: w.srv}
		w.loops[home] = ls
	}
	if w.stop == nil && w.tick > 0 && !w.stopped {
		w.stop = make(chan struct{})
		w.clock.Store(1)
		go w.run(w.stop)
	}
	return ls
}

// close stops the watchdog goroutine. Any goroutine.
func (w *stallWatch) close() {
	w.mu.Lock()
	if w.stop != nil && !w.stopped {
		close(w.stop)
	}
	w.stopped = true // and not started again
	w.mu.Unlock()
}

func (w *stallWatch) run(stop chan struct{}) {
	t := time.NewTicker(w.tick)
	defer t.Stop()
	limit := int64(w.threshold / w.tick)
	var loops []*loopState
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		now := w.clock.Add(1)
		w.mu.Lock()
		loops = loops[:0]
		for _, ls := range w.loops {
			loops = append(loops, ls)
		}
		w.mu.Unlock()
		for _, ls := range loops {
			since := ls.since.Load()
			if since == 0 || now-since < limit || ls.flagged.Load() == since {
				continue
			}
			ls.flagged.Store(since)
			w.stalls.Add(1)
			nsp, id := "", ""
			if s := ls.sock.Load(); s != nil {
				nsp, id = s.nsp.name, s.id
			}
			w.srv.logger.Warn("socketio: a handler is blocking its event loop (every connection of that loop waits; use Socket.Go, Socket.GoConcurrent or HandlerAsync for blocking work)",
				"namespace", nsp, "socket", id, "threshold", w.threshold)
		}
	}
}

// begin stamps the start of a callback for s's loop. Home loop.
func (ls *loopState) begin(w *stallWatch, s *Socket) {
	if s != ls.last { // an atomic store is a full barrier: skip it when unchanged
		ls.sock.Store(s)
		ls.last = s
	}
	ls.since.Store(w.clock.Load())
}

// end clears the stamp and reports whether the watchdog flagged this
// callback, with how long it held the loop (to the watchdog's tick).
func (ls *loopState) end(w *stallWatch) (time.Duration, bool) {
	since := ls.since.Swap(0)
	if since == 0 || ls.flagged.Load() != since {
		return 0, false
	}
	return time.Duration(w.clock.Load()-since) * w.tick, true
}

// watchedPacket handles p (events, acks, CONNECT with its middlewares and
// connection listeners) under the stall watchdog. Home loop.
func (c *conn) watchedPacket(p *parser.Packet) {
	ls := c.ls()
	w := ls.srv.watch
	if w.tick == 0 {
		c.onPacket(p)
		return
	}
	ls.begin(w, c.socketFor(p.Namespace))
	c.onPacket(p)
	if held, stalled := ls.end(w); stalled {
		c.ls().srv.logger.Warn("socketio: handler blocked its event loop",
			"namespace", p.Namespace, "event", stalledEvent(p), "held", held)
	}
}

// watchedCall runs fn, user code run by a loop task rather than a packet
// (disconnect listeners, ack timeouts), under the stall watchdog; what
// names it in the log. Inside a watched packet (an engine closing the
// session synchronously) the packet's watch covers it. Home loop.
func (c *conn) watchedCall(s *Socket, what string, fn func()) {
	ls := c.ls()
	w := ls.srv.watch
	if w.tick == 0 || ls.since.Load() != 0 { // off, or inside a watched packet already
		fn()
		return
	}
	ls.begin(w, s)
	fn()
	if held, stalled := ls.end(w); stalled {
		nsp := ""
		if s != nil {
			nsp = s.nsp.name
		}
		c.ls().srv.logger.Warn("socketio: handler blocked its event loop", "namespace", nsp, "event", what, "held", held)
	}
}

// stalledEvent names what p ran: the event name, or the packet type.
func stalledEvent(p *parser.Packet) string {
	switch p.Type {
	case parser.Event, parser.BinaryEvent:
		if name, _, err := parser.SplitEvent(p.Data); err == nil {
			return string(name)
		}
	case parser.Ack, parser.BinaryAck:
		return "(ack callback)"
	case parser.Connect:
		return "(connection)"
	}
	return "(packet type " + p.Type.String() + ")"
}

// Stalls returns how many times user code held an event loop longer than
// Config.StallThreshold. Any goroutine.
func (srv *Server) Stalls() uint64 { return srv.watch.stalls.Load() }
