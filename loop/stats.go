package loop

import "sync/atomic"

// loopStats are a loop's cumulative traffic counters. Only the loop adds to
// them (an uncontended atomic add, no allocation); anyone may read them.
type loopStats struct {
	bytesIn, bytesOut atomic.Uint64
	reads, flushes    atomic.Uint64
	asyncWrites       atomic.Uint64
}

// Stats is a snapshot of a server's traffic counters, summed over its
// loops: bytes the handler consumed, bytes handed to the kernel (or to
// gnet's buffer when the socket was full), read events and flushes, and
// writes that came from another goroutine (Conn.AsyncWrite: a hop through
// the loop's inbox).
type Stats struct {
	BytesIn, BytesOut uint64
	Reads, Flushes    uint64
	AsyncWrites       uint64
}

// Stats sums the counters of every loop. Safe from any goroutine; the
// figures of different loops are read one after the other, not at one
// instant.
func (s *Server) Stats() Stats {
	var st Stats
	for _, l := range s.Loops() {
		st.BytesIn += l.stats.bytesIn.Load()
		st.BytesOut += l.stats.bytesOut.Load()
		st.Reads += l.stats.reads.Load()
		st.Flushes += l.stats.flushes.Load()
		st.AsyncWrites += l.stats.asyncWrites.Load()
	}
	return st
}
