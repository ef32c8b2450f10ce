package redis

import (
	"context"
	"sync/atomic"
	"time"
)

// countRefresh is how often the cached server count is refreshed.
const countRefresh = time.Second

// serverCount caches PUBSUB NUMSUB of the request channel, so that
// ServerCount (which socketio calls on the emitting goroutine, possibly an
// event loop) never waits for Redis.
type serverCount struct {
	n atomic.Int64
}

// ServerCount returns the number of nodes (this one included) as last seen
// by PUBSUB NUMSUB key-request#nsp#, refreshed every second and by every
// request that asks Redis anyway. 1 when Redis is unreachable.
func (a *Adapter) ServerCount() int { return int(a.count.n.Load()) }

func (c *serverCount) query(ctx context.Context, a *Adapter) (int, error) {
	res, err := a.client.PubSubNumSub(ctx, a.ch.Request).Result()
	if err != nil {
		return 1, err
	}
	n := max(int(res[a.ch.Request]), 1)
	c.n.Store(int64(n))
	return n, nil
}

func (c *serverCount) refreshLoop(a *Adapter) {
	t := time.NewTicker(countRefresh)
	defer t.Stop()
	for {
		ctx, cancel := context.WithTimeout(a.ctx, a.opts.RequestsTimeout)
		if _, err := c.query(ctx, a); err != nil && a.ctx.Err() == nil {
			c.n.Store(1)
		}
		cancel()
		select {
		case <-t.C:
		case <-a.ctx.Done():
			return
		}
	}
}
