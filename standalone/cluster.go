package standalone

import (
	"fmt"
	"io"
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

// newAdapter returns the Socket.IO NewAdapter of the cluster and the Redis
// client its adapters share, which the adapters never close: its owner
// closes it after them. Both are nil without redis.url (the in-memory
// adapter).
func (r RedisConfig) newAdapter(logger *slog.Logger) (func(*socketio.Namespace) socketio.Adapter, io.Closer, error) {
	if r.URL == "" {
		return nil, nil, nil
	}
	opt, err := goredis.ParseURL(r.URL)
	if err != nil {
		return nil, nil, err
	}
	client := goredis.NewClient(opt)
	switch r.Mode {
	case "sharded":
		newAdapter, err := redis.NewSharded(client, r.shardedOptions(logger))
		if err != nil {
			_ = client.Close()
			return nil, nil, err
		}
		return newAdapter, client, nil
	case "streams":
		return redisstreams.New(client, redisstreams.Options{ChannelPrefix: r.Prefix, BatchWindow: r.BatchWindow, Logger: logger}), client, nil
	}
	return redis.New(client, redis.Options{Key: r.Prefix, BatchWindow: r.BatchWindow, Logger: logger}), client, nil
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
