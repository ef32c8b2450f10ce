package redisstreams

import (
	"sync/atomic"
	"time"
)

// Stats are counters of one namespace adapter since it started.
type Stats struct {
	Published      uint64 // commands sent (XADD, PUBLISH, SET)
	PublishDropped uint64 // commands not sent (queue full, or Redis unreachable)
	Entries        uint64 // stream entries read
	Dropped        uint64 // stream entries and Pub/Sub messages dropped as malformed
	Reconnects     uint64 // times the stream reader came back after a failure
}

type counters struct {
	published, publishDropped, entries, dropped, reconnects atomic.Uint64
	lastDropLog                                             atomic.Int64 // unix ns of the last "dropped" line
}

func (c *counters) snapshot() Stats {
	return Stats{
		Published: c.published.Load(), PublishDropped: c.publishDropped.Load(), Entries: c.entries.Load(),
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
