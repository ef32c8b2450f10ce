package redisstreams

import "github.com/sio-fast/sio-fast/adapter/internal/remote"

// Stats are counters of one namespace adapter since it started.
type Stats struct {
	Published      uint64 // commands sent (XADD, PUBLISH, SET)
	PublishDropped uint64 // commands not sent (queue full, or Redis unreachable)
	Entries        uint64 // stream entries read
	Dropped        uint64 // stream entries and Pub/Sub messages dropped as malformed
	Reconnects     uint64 // times the stream reader came back after a failure
}

func snapshot(c *remote.Counters) Stats {
	return Stats{
		Published: c.Published.Load(), PublishDropped: c.PublishDropped.Load(), Entries: c.Received.Load(),
		Dropped: c.Dropped.Load(), Reconnects: c.Reconnects.Load(),
	}
}
