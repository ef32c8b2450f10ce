package redis

import (
	"log/slog"
	"time"
)

// Options configure the adapter (names of @socket.io/redis-adapter's
// options).
type Options struct {
	// Key is the channel prefix (default "socket.io").
	Key string
	// RequestsTimeout bounds fetchSockets, allRooms and serverSideEmit
	// with ack (default 5 s).
	RequestsTimeout time.Duration
	// PublishOnSpecificResponseChannel sends the responses to a request on
	// the requesting node's own channel (key-response#nsp#uid#) instead of
	// the shared one.
	PublishOnSpecificResponseChannel bool
	// MaxMessageBytes drops bigger incoming messages (default 16 MiB).
	MaxMessageBytes int
	// PublishQueue bounds the messages waiting to be published (default
	// 16384); past it, messages are dropped and counted rather than
	// blocking the caller.
	PublishQueue int
	// BatchWindow: when messages arrive less than this apart, the
	// receiver pauses this long after waking up, so that the ones arriving
	// meanwhile are read together: fewer wake-ups, hence less CPU per
	// message, for at most this much added latency, at those rates only
	// (default 0: off, every message is read as soon as it comes, as Node
	// does; 20 ms halves the CPU per message at 1,000 messages/s, see
	// docs/benchmarks.md).
	BatchWindow time.Duration
	// Logger receives the fault lines (default slog.Default()).
	Logger *slog.Logger
}

func (o Options) withDefaults() Options {
	if o.Key == "" {
		o.Key = "socket.io"
	}
	if o.RequestsTimeout <= 0 {
		o.RequestsTimeout = 5 * time.Second
	}
	if o.MaxMessageBytes <= 0 {
		o.MaxMessageBytes = 16 << 20
	}
	if o.PublishQueue <= 0 {
		o.PublishQueue = 16384
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return o
}
