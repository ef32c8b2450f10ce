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
// (one tick every threshold/4) and scans one loopWatch per event loop. A
// loop stamps its loopWatch with the coarse time when it starts handling a
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

	mu    sync.Mutex
	loops map[Executor]*loopWatch
	stop  chan struct{} // nil until started
}

// loopWatch is the state of one event loop. since and sock are written by
// the loop, read by the watchdog; flagged is written by the watchdog only:
// the since of the callback it reported (a later callback starts at least
// a threshold later, so it never matches a stale flag).
type loopWatch struct {
	since   atomic.Int64 // coarse time the running callback started, 0 when idle
	sock    atomic.Pointer[Socket]
	flagged atomic.Int64
}

func newStallWatch(srv *Server, threshold time.Duration) *stallWatch {
	if threshold < 0 {
		return nil
	}
	return &stallWatch{srv: srv, threshold: threshold, tick: max(threshold/4, time.Millisecond), loops: map[Executor]*loopWatch{}}
}

// forLoop returns the loopWatch of home, starting the watchdog on first
// use. Any goroutine (once per session).
func (w *stallWatch) forLoop(home Executor) *loopWatch {
	if w == nil {
		return nil
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	lw := w.loops[home]
	if lw == nil {
		lw = &loopWatch{}
		w.loops[home] = lw
	}
	if w.stop == nil {
		w.stop = make(chan struct{})
		w.clock.Store(1)
		go w.run(w.stop)
	}
	return lw
}

// close stops the watchdog goroutine. Any goroutine.
func (w *stallWatch) close() {
	if w == nil {
		return
	}
	w.mu.Lock()
	if w.stop != nil {
		close(w.stop)
	}
	w.mu.Unlock()
}

func (w *stallWatch) run(stop chan struct{}) {
	t := time.NewTicker(w.tick)
	defer t.Stop()
	limit := int64(w.threshold / w.tick)
	var loops []*loopWatch
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		now := w.clock.Add(1)
		w.mu.Lock()
		loops = loops[:0]
		for _, lw := range w.loops {
			loops = append(loops, lw)
		}
		w.mu.Unlock()
		for _, lw := range loops {
			since := lw.since.Load()
			if since == 0 || now-since < limit || lw.flagged.Load() == since {
				continue
			}
			lw.flagged.Store(since)
			w.stalls.Add(1)
			nsp, id := "", ""
			if s := lw.sock.Load(); s != nil {
				nsp, id = s.nsp.name, s.id
			}
			w.srv.logger.Warn("socketio: a handler is blocking its event loop (every connection of that loop waits; use Socket.Go, Socket.GoConcurrent or HandlerAsync for blocking work)",
				"namespace", nsp, "socket", id, "threshold", w.threshold)
		}
	}
}

// begin stamps the start of a callback for s's loop. Home loop.
func (lw *loopWatch) begin(w *stallWatch, s *Socket) {
	lw.sock.Store(s)
	lw.since.Store(w.clock.Load())
}

// end clears the stamp and reports whether the watchdog flagged this
// callback, with how long it held the loop (to the watchdog's tick).
func (lw *loopWatch) end(w *stallWatch) (time.Duration, bool) {
	since := lw.since.Swap(0)
	if lw.flagged.Load() != since {
		return 0, false
	}
	return time.Duration(w.clock.Load()-since) * w.tick, true
}

// watchedPacket routes p to socket s (nil: not joined yet, see onPacket)
// under the stall watchdog. Home loop.
func (c *conn) watchedPacket(p *parser.Packet) {
	lw := c.watch
	if lw == nil {
		c.onPacket(p)
		return
	}
	w := c.srv.watch
	lw.begin(w, c.socketFor(p.Namespace))
	c.onPacket(p)
	if held, stalled := lw.end(w); stalled {
		c.srv.logger.Warn("socketio: handler blocked its event loop",
			"namespace", p.Namespace, "event", stalledEvent(p), "held", held)
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
func (srv *Server) Stalls() uint64 {
	if srv.watch == nil {
		return 0
	}
	return srv.watch.stalls.Load()
}
