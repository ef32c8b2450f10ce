package redisstreams

import (
	"log/slog"
	"time"
)

// Options configure the adapter (the names of
// @socket.io/redis-streams-adapter's options; zero values take Node's
// defaults).
type Options struct {
	// StreamName is the stream every namespace writes to ("socket.io").
	StreamName string
	// MaxLen trims the stream to about this many entries (10000, MAXLEN ~).
	// It bounds how far back connection state recovery can reach.
	MaxLen int64
	// ReadCount is the most entries one XREAD returns (100).
	ReadCount int64
	// BlockTime is how long one XREAD waits for entries (5 s).
	BlockTime time.Duration
	// ChannelPrefix names the Pub/Sub channels of the ephemeral messages
	// ("socket.io": socket.io#<nsp># and socket.io#<nsp>#<uid>#).
	ChannelPrefix string
	// SessionKeyPrefix prefixes the keys of the sessions kept for
	// connection state recovery ("sio:session:").
	SessionKeyPrefix string
	// RequestsTimeout bounds fetchSockets and serverSideEmit with ack (5 s).
	RequestsTimeout time.Duration
	// PublishQueue bounds the commands waiting to be sent (16384); past
	// it, they are dropped and counted rather than blocking the caller.
	PublishQueue int
	// BatchWindow: when entries come less than this apart, the reader
	// waits this long before its next XREAD once caught up, so that one
	// XREAD returns many (fewer commands and wake-ups, less CPU per entry)
	// for at most this much added latency, at those rates only (default 0:
	// off, the next XREAD is issued at once, one per entry or two when
	// idle; 20 ms cuts XREADs ×15 and CPU per entry ×0.3–0.6 at 1,000
	// entries/s, see docs/benchmarks.md).
	BatchWindow time.Duration
	// Logger receives the fault lines (slog.Default()).
	Logger *slog.Logger
}

func (o Options) withDefaults() Options {
	if o.StreamName == "" {
		o.StreamName = "socket.io"
	}
	if o.MaxLen <= 0 {
		o.MaxLen = 10000
	}
	if o.ReadCount <= 0 {
		o.ReadCount = 100
	}
	if o.BlockTime <= 0 {
		o.BlockTime = 5 * time.Second
	}
	if o.ChannelPrefix == "" {
		o.ChannelPrefix = "socket.io"
	}
	if o.SessionKeyPrefix == "" {
		o.SessionKeyPrefix = "sio:session:"
	}
	if o.RequestsTimeout <= 0 {
		o.RequestsTimeout = 5 * time.Second
	}
	if o.PublishQueue <= 0 {
		o.PublishQueue = 16384
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return o
}
