package redis

import (
	"context"
	"sync/atomic"
	"time"
)

// countRefresh is how often the cached server count is refreshed.
const countRefresh = time.Second

// serverCount caches the number of subscribers of the channel every node
// listens on (PUBSUB NUMSUB, or SHARDNUMSUB for the sharded adapter), so
// that ServerCount (which socketio calls on the emitting goroutine,
// possibly an event loop) never waits for Redis.
type serverCount struct {
	n   atomic.Int64
	ask func(ctx context.Context) (int64, error) // asks Redis
}

func (c *serverCount) query(ctx context.Context) (int, error) {
	n, err := c.ask(ctx)
	if err != nil {
		return 1, err
	}
	n = max(n, 1)
	c.n.Store(n)
	return int(n), nil
}

func (c *serverCount) refreshLoop(co *core) {
	t := time.NewTicker(countRefresh)
	defer t.Stop()
	for {
		ctx, cancel := context.WithTimeout(co.ctx, co.opts.RequestsTimeout)
		if _, err := c.query(ctx); err != nil && co.ctx.Err() == nil {
			c.n.Store(1)
		}
		cancel()
		select {
		case <-t.C:
		case <-co.ctx.Done():
			return
		}
	}
}
