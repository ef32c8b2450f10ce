package redis

import "github.com/sio-fast/sio-fast/adapter/internal/remote"

// Stats are counters of one namespace adapter since it started.
type Stats struct {
	Published      uint64 // messages published
	PublishDropped uint64 // messages not published (queue full or Redis unreachable)
	Received       uint64 // messages received
	Dropped        uint64 // received messages dropped as malformed or oversized
	Reconnects     uint64 // times the subscription came back after a failure
}

func snapshot(c *remote.Counters) Stats {
	return Stats{
		Published: c.Published.Load(), PublishDropped: c.PublishDropped.Load(), Received: c.Received.Load(),
		Dropped: c.Dropped.Load(), Reconnects: c.Reconnects.Load(),
	}
}
