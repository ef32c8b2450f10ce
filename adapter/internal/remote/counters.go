package remote

import (
	"sync/atomic"
	"time"
)

// Counters are the message counters of one namespace adapter, updated from
// any goroutine; each adapter package exports a snapshot as its Stats.
type Counters struct {
	Published      atomic.Uint64 // messages (commands) published
	PublishDropped atomic.Uint64 // not published: queue full or Redis unreachable
	Received       atomic.Uint64 // messages (stream entries) received
	Dropped        atomic.Uint64 // received and dropped: malformed or oversized
	Reconnects     atomic.Uint64 // times the subscription (reader) came back after a failure

	lastDropLog atomic.Int64 // unix ns of the last "dropped" line
}

// DropLogDue reports whether a "dropped" line may be logged now: at most
// one a second, so a flood of bad messages or a Redis outage cannot flood
// the log (the counters keep the totals).
func (c *Counters) DropLogDue() bool {
	now := time.Now().UnixNano()
	prev := c.lastDropLog.Load()
	return now-prev >= int64(time.Second) && c.lastDropLog.CompareAndSwap(prev, now)
}
