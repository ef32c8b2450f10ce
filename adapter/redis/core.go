package redis

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"

	goredis "github.com/redis/go-redis/v9"

	"github.com/sio-fast/sio-fast/adapter/internal/remote"
)

// core is what the classic and the sharded adapters share: the Redis
// client, the publishing goroutine, the receiving loop (receive.go), the
// server count and the counters.
type core struct {
	client goredis.UniversalClient
	opts   Options
	log    *slog.Logger

	ps       *goredis.PubSub // closed by Close, which unblocks the receiver
	pub      *publisher
	count    serverCount
	stats    remote.Counters
	ready    chan struct{}
	readyOne sync.Once
	closed   atomic.Bool
	stop     context.CancelFunc
	ctx      context.Context
	done     sync.WaitGroup

	// Set by the adapter before start.
	subscribe func(ps *goredis.PubSub) error // (re)subscribes the fixed channels
	fixed     []string                       // the fixed channels (and pattern), each confirmed once a subscription is complete
	dispatch  func(m *goredis.Message)
}

func (c *core) init(client goredis.UniversalClient, opts Options, log *slog.Logger) {
	c.client, c.opts, c.log, c.ready = client, opts, log, make(chan struct{})
	c.count.n.Store(1)
}

// start starts the receiving, publishing and counting goroutines.
func (c *core) start(sharded bool) {
	c.ctx, c.stop = context.WithCancel(context.Background())
	c.pub = newPublisher(c.client, c.opts, c.log, &c.stats, &c.closed, sharded)
	c.ps = c.client.Subscribe(c.ctx)
	c.done.Add(3)
	go func() { defer c.done.Done(); c.pub.run() }()
	go func() { defer c.done.Done(); c.receive() }()
	go func() { defer c.done.Done(); c.count.refreshLoop(c) }()
}

// Stats returns the adapter's counters.
func (c *core) Stats() Stats { return snapshot(&c.stats) }

// ServerCount returns the number of nodes (this one included) as last seen
// by Redis, refreshed every second and by every request that asks Redis
// anyway. 1 when Redis is unreachable.
func (c *core) ServerCount() int { return int(c.count.n.Load()) }

// WaitReady waits until Redis confirmed the subscription of each of the
// adapter's own channels (not the sharded adapter's room channels, which
// come and go with the rooms), or ctx ends. Any goroutine; it blocks.
func (c *core) WaitReady(ctx context.Context) error {
	select {
	case <-c.ready:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close unsubscribes and stops the goroutines; messages still queued are
// published first (within RequestsTimeout). Pending requests end with
// their timeout.
func (c *core) Close() error {
	if !c.closed.CompareAndSwap(false, true) || c.stop == nil {
		return nil
	}
	c.pub.close()
	c.stop()
	_ = c.ps.Close()
	c.done.Wait()
	return nil
}

// publish queues payload for channel. It never blocks: with the queue full
// the message is dropped and counted. Any goroutine.
func (c *core) publish(channel string, payload []byte) { c.pub.enqueue(channel, payload) }

// numSub asks Redis how many nodes listen (this one included), waiting at
// most RequestsTimeout, and no longer than until Close: with Redis down a
// FetchSockets or AllRooms in progress then fails at once instead of
// waiting on go-redis's dial.
func (c *core) numSub() (int, error) {
	parent := c.ctx
	if parent == nil { // not started
		parent = context.Background()
	}
	ctx, cancel := context.WithTimeout(parent, c.opts.RequestsTimeout)
	defer cancel()
	return c.count.query(ctx)
}
