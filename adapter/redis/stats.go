package redis

import (
	"sync/atomic"
	"time"
)

// Stats are counters of one namespace adapter since it started.
type Stats struct {
	Published      uint64 // messages published
	PublishDropped uint64 // messages not published (queue full or Redis unreachable)
	Received       uint64 // messages received
	Dropped        uint64 // received messages dropped as malformed or oversized
	Reconnects     uint64 // times the subscription came back after a failure
}

type counters struct {
	published, publishDropped, received, dropped, reconnects atomic.Uint64
	lastDropLog                                              atomic.Int64 // unix ns of the last "dropped" line
}

func (c *counters) snapshot() Stats {
	return Stats{
		Published: c.published.Load(), PublishDropped: c.publishDropped.Load(), Received: c.received.Load(),
		Dropped: c.dropped.Load(), Reconnects: c.reconnects.Load(),
	}
}

// logEvery reports whether a rate-limited line may be logged now (at most
// one per second per kind).
func logEvery(last *atomic.Int64) bool {
	now := time.Now().UnixNano()
	prev := last.Load()
	return now-prev >= int64(time.Second) && last.CompareAndSwap(prev, now)
}
