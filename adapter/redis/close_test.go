package redis_test

import (
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/sio-fast/sio-fast/adapter/internal/clustertest"
	"github.com/sio-fast/sio-fast/adapter/redis"
	"github.com/sio-fast/sio-fast/internal/redistest"
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

// TestCloseEndsFetchWithRedisDown: a FetchSockets waiting on an unreachable
// Redis (go-redis dialling) fails as soon as the adapter closes, instead of
// after RequestsTimeout.
func TestCloseEndsFetchWithRedisDown(t *testing.T) {
	r := redistest.Start(t)
	rdb := goredis.NewClient(&goredis.Options{Addr: r.Addr()}) // go-redis's default retries and dials
	defer rdb.Close()
	sio := socketio.NewServer(socketio.Config{Logger: quietLog,
		NewAdapter: redis.New(rdb, redis.Options{Logger: quietLog, RequestsTimeout: 10 * time.Second})})
	r.Kill()
	done := make(chan time.Time, 1)
	go func() {
		_, _ = sio.FetchSockets()
		done <- time.Now()
	}()
	time.Sleep(100 * time.Millisecond) // the fetch is waiting on Redis
	start := time.Now()
	_ = sio.Close()
	select {
	case end := <-done:
		if took := end.Sub(start); took > 500*time.Millisecond {
			t.Fatalf("FetchSockets ended %v after Close", took)
		}
	case <-time.After(8 * time.Second):
		t.Fatal("FetchSockets still waiting 8 s after Close (RequestsTimeout 10 s)")
	}
}
