package loop

import (
	"sync/atomic"
	"time"
)

// loopStats are a loop's cumulative counters. Only the loop adds to them
// (an uncontended atomic add, no allocation); anyone may read them.
type loopStats struct {
	bytesIn, bytesOut atomic.Uint64
	reads, flushes    atomic.Uint64
	asyncWrites       atomic.Uint64 // writes that hopped through the inbox (Conn.AsyncWrite)
	capCloses         atomic.Uint64 // closed with ErrSlowConsumer at the queue cap
	stallCloses       atomic.Uint64 // closed with ErrSlowConsumer by the write-stall deadline
	busy              atomic.Int64  // ns spent in turns (enter to leave)
	turns             atomic.Uint64
	ticks             atomic.Uint64
}

// Stats is a snapshot of traffic counters, of one loop or summed over a
// server's loops: bytes the handler consumed, bytes handed to the kernel
// (or to gnet's buffer when the socket was full), read events, flushes,
// writes that came from another goroutine (Conn.AsyncWrite: a hop through
// the loop's inbox), slow consumers closed, and the time spent working.
type Stats struct {
	BytesIn, BytesOut uint64
	Reads, Flushes    uint64
	AsyncWrites       uint64
	// CapCloses and StallCloses count the connections closed with
	// ErrSlowConsumer: over the queue cap (WithMaxQueuedBytes), or queued
	// bytes without progress for the write-stall deadline
	// (WithWriteStallTimeout).
	CapCloses, StallCloses uint64
	// Busy and Turns are, with WithBusyTime (else 0), the time the loop
	// spent in its turns and how many it ran. A turn lasts from gnet's call
	// into the loop (a read event, an open or close, the inbox drain with
	// the tasks and broadcasts it carries) until its flush returned,
	// write(2) calls included. The rest of the time the loop waits in
	// epoll_wait, or is in gnet's own read(2) and epoll calls, which are
	// not counted. Busy costs two clock reads per turn (BenchmarkLoopTurn).
	Busy  time.Duration
	Turns uint64
	// Ticks counts the ticker's ticks the loop ran: the ticker skips a loop
	// with nothing due at a tick (idleticks.go), so an idle loop sleeps.
	Ticks uint64
}

// Stats returns the loop's counters. Safe from any goroutine.
func (l *Loop) Stats() Stats {
	return Stats{
		BytesIn: l.stats.bytesIn.Load(), BytesOut: l.stats.bytesOut.Load(),
		Reads: l.stats.reads.Load(), Flushes: l.stats.flushes.Load(), AsyncWrites: l.stats.asyncWrites.Load(),
		CapCloses: l.stats.capCloses.Load(), StallCloses: l.stats.stallCloses.Load(),
		Busy: time.Duration(l.stats.busy.Load()), Turns: l.stats.turns.Load(),
		Ticks: l.stats.ticks.Load(),
	}
}

// Stats sums the counters of every loop. Safe from any goroutine; the
// figures of different loops are read one after the other, not at one
// instant.
func (s *Server) Stats() Stats {
	var st Stats
	for _, l := range s.Loops() {
		ls := l.Stats()
		st.BytesIn += ls.BytesIn
		st.BytesOut += ls.BytesOut
		st.Reads += ls.Reads
		st.Flushes += ls.Flushes
		st.AsyncWrites += ls.AsyncWrites
		st.CapCloses += ls.CapCloses
		st.StallCloses += ls.StallCloses
		st.Busy += ls.Busy
		st.Turns += ls.Turns
		st.Ticks += ls.Ticks
	}
	return st
}
