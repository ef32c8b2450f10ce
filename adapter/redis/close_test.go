package redis_test

import (
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/sio-fast/sio-fast/adapter/internal/clustertest"
	"github.com/sio-fast/sio-fast/adapter/redis"
	"github.com/sio-fast/sio-fast/socketio"
)

// TestCloseLeavesNothing: a closed classic or sharded adapter (each
// subscription mode) leaves no goroutine and dials Redis no more.
func TestCloseLeavesNothing(t *testing.T) {
	opts := redis.Options{Logger: quietLog, RequestsTimeout: 2 * time.Second}
	t.Run("classic", func(t *testing.T) {
		clustertest.CheckClose(t, func(rdb *goredis.Client) func(*socketio.Namespace) socketio.Adapter {
			return redis.New(rdb, opts)
		})
	})
	for _, mode := range []redis.SubscriptionMode{redis.SubscribeStatic, redis.SubscribeDynamic, redis.SubscribeDynamicPrivate} {
		t.Run("sharded-"+string(mode), func(t *testing.T) {
			clustertest.CheckClose(t, func(rdb *goredis.Client) func(*socketio.Namespace) socketio.Adapter {
				newAdapter, err := redis.NewSharded(rdb, redis.ShardedOptions{Options: opts, SubscriptionMode: mode})
				if err != nil {
					t.Fatal(err)
				}
				return newAdapter
			})
		})
	}
}
