package loop

import (
	"runtime/debug"
	"sync/atomic"
	"time"
)

// A burst of new connections leaves garbage behind: every handshake makes
// about a kilobyte of it (Go's accept, gnet's enrolment, the HTTP upgrade),
// about as much as the connection keeps. With Go's default pacing, the
// collection that would free the last of it comes only once the heap has
// doubled again, which an idle server never reaches, and the runtime keeps
// free pages up to about the heap goal. So a server that took 18,000
// WebSocket connections and then went quiet held up to 390 bytes per
// connection more than the connections need, depending only on where the
// last collection fell in the ramp (docs/benchmarks.md, "Idle memory per
// connection, issue 16 part 5").
//
// The ticker therefore collects once when a burst is over: at least
// collectMinBurst connections were opened since the last such collection,
// the last collectQuiet saw fewer than collectQuietMax new ones, and
// collectMinGap passed since the last one. It runs debug.FreeOSMemory on a
// goroutine of its own: a forced collection (concurrent, like any other,
// the loops keep running) that then gives the free pages back to the OS. A
// server whose connections come and go steadily never looks quiet and is
// left to Go's pacing. WithBurstCollect(false) turns it off.

const (
	collectMinBurst = 1024
	collectQuiet    = 500 * time.Millisecond
	collectQuietMax = 16
	collectMinGap   = 10 * time.Second
)

// burstCollector is the ticker goroutine's view of connection bursts.
// Ticker goroutine only, except running.
type burstCollector struct {
	minBurst uint64        // connections opened that make a burst
	quiet    time.Duration // how long the rate must stay low
	quietMax uint64        // new connections a quiet window may see
	minGap   time.Duration // between two collections

	windowStart time.Time // start of the current quiet-check window
	windowFrom  uint64    // connections opened when the window started
	lastFrom    uint64    // connections opened at the last collection
	last        time.Time // the last collection started
	running     atomic.Bool
	done        atomic.Uint64 // collections finished
	spent       atomic.Int64  // ns of wall time in finished collections
	collect     func()        // debug.FreeOSMemory; tests count instead
}

func newBurstCollector() *burstCollector {
	return &burstCollector{
		minBurst: collectMinBurst, quiet: collectQuiet,
		quietMax: collectQuietMax, minGap: collectMinGap,
		collect: debug.FreeOSMemory,
	}
}

// observe is called at each tick with the number of connections opened so
// far (Server.nextID) and the time. It starts a collection when a burst
// has just ended. Ticker goroutine only.
func (b *burstCollector) observe(opened uint64, now time.Time) {
	if b.windowStart.IsZero() {
		// Connections opened before the first tick belong to the first
		// burst (lastFrom stays 0).
		b.windowStart, b.windowFrom = now, opened
		return
	}
	if now.Sub(b.windowStart) < b.quiet {
		return
	}
	quiet := opened-b.windowFrom < b.quietMax
	b.windowStart, b.windowFrom = now, opened
	if !quiet || opened-b.lastFrom < b.minBurst || (!b.last.IsZero() && now.Sub(b.last) < b.minGap) {
		return
	}
	if !b.running.CompareAndSwap(false, true) {
		return
	}
	b.lastFrom, b.last = opened, now
	go func() {
		defer b.running.Store(false)
		start := time.Now()
		b.collect()
		b.spent.Add(int64(time.Since(start)))
		b.done.Add(1)
	}()
}

// BurstCollections returns how many collections the server ran after
// bursts of connections, and the wall time they took in all (the forced
// mark and the return of free pages; the loops kept running meanwhile).
// Both are 0 with WithBurstCollect(false). Safe from any goroutine.
func (s *Server) BurstCollections() (n uint64, spent time.Duration) {
	if s.collector == nil {
		return 0, 0
	}
	return s.collector.done.Load(), time.Duration(s.collector.spent.Load())
}
