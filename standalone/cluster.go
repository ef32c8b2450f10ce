package standalone

import (
	"fmt"
	"log/slog"

	goredis "github.com/redis/go-redis/v9"

	"github.com/sio-fast/sio-fast/adapter/redis"
	"github.com/sio-fast/sio-fast/adapter/redisstreams"
	"github.com/sio-fast/sio-fast/metrics"
	"github.com/sio-fast/sio-fast/socketio"
)

// redisModes are the values of redis.mode this build serves.
var redisModes = []string{"pubsub", "sharded", "streams"}

// validate checks redis.url and redis.mode (only when a URL is set).
func (r RedisConfig) validate() error {
	if r.URL == "" {
		return nil
	}
	if _, err := goredis.ParseURL(r.URL); err != nil {
		return fmt.Errorf("redis.url: %v (got %q)", err, r.URL)
	}
	for _, m := range redisModes {
		if r.Mode != m {
			continue
		}
		if m == "sharded" {
			if _, err := redis.NewSharded(nil, r.shardedOptions(nil)); err != nil {
				return fmt.Errorf("redis.subscription_mode: %v (got %q)", err, r.SubscriptionMode)
			}
		}
		return nil
	}
	return fmt.Errorf("redis.mode: must be one of %v in this build (got %q)", redisModes, r.Mode)
}

// newAdapter returns the Socket.IO NewAdapter of the cluster, nil without
// redis.url (the in-memory adapter). The Redis client lives as long as the
// process.
func (r RedisConfig) newAdapter(logger *slog.Logger) (func(*socketio.Namespace) socketio.Adapter, error) {
	if r.URL == "" {
		return nil, nil
	}
	opt, err := goredis.ParseURL(r.URL)
	if err != nil {
		return nil, err
	}
	if r.Mode == "sharded" {
		return redis.NewSharded(goredis.NewClient(opt), r.shardedOptions(logger))
	}
	if r.Mode == "streams" {
		return redisstreams.New(goredis.NewClient(opt), redisstreams.Options{ChannelPrefix: r.Prefix, BatchWindow: r.BatchWindow, Logger: logger}), nil
	}
	return redis.New(goredis.NewClient(opt), redis.Options{Key: r.Prefix, BatchWindow: r.BatchWindow, Logger: logger}), nil
}

// shardedOptions are the sharded adapter's options of r.
func (r RedisConfig) shardedOptions(logger *slog.Logger) redis.ShardedOptions {
	return redis.ShardedOptions{
		Options:          redis.Options{Key: r.Prefix, BatchWindow: r.BatchWindow, Logger: logger},
		SubscriptionMode: redis.SubscriptionMode(r.SubscriptionMode),
	}
}

// redisStats sums the error counters of the namespaces' cluster adapters,
// read at each scrape.
func redisStats(nsps []*socketio.Namespace) metrics.RedisStats {
	var out metrics.RedisStats
	for _, nsp := range nsps {
		switch a := nsp.Adapter().(type) {
		case interface{ Stats() redis.Stats }:
			st := a.Stats()
			out.PublishDropped += st.PublishDropped
			out.Dropped += st.Dropped
			out.Reconnects += st.Reconnects
		case interface{ Stats() redisstreams.Stats }:
			st := a.Stats()
			out.PublishDropped += st.PublishDropped
			out.Dropped += st.Dropped
			out.Reconnects += st.Reconnects
		}
	}
	return out
}
