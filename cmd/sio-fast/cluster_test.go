package main

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/sio-fast/sio-fast/internal/looptest"
	"github.com/sio-fast/sio-fast/internal/redistest"
	"github.com/sio-fast/sio-fast/internal/scripttest"
	"github.com/sio-fast/sio-fast/standalone"
)

// TestBenchAppCluster: two bench-app nodes started with -redis serve the
// contract's events across the cluster, and count and whoami, to npm
// socket.io-client 4.8, with each cluster adapter.
func TestBenchAppCluster(t *testing.T) {
	for mode, channel := range map[string]string{"pubsub": "socket.io-request#/#", "sharded": "socket.io#/#", "streams": "socket.io#/#"} {
		t.Run(mode, func(t *testing.T) { testBenchAppCluster(t, mode, channel) })
	}
}

func testBenchAppCluster(t *testing.T, mode, channel string) {
	const clientDir = "../../adapter/redis/interop"
	scripttest.NeedNode(t, clientDir)
	r := redistest.Start(t)
	var urls []string
	for range 2 {
		cfg, _, err := standalone.Load([]string{"-mode", "bench-app", "-redis", r.URL(), "-redis-mode", mode}, nil)
		if err != nil {
			t.Fatal(err)
		}
		h := newHandler(t, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
		urls = append(urls, looptest.URL(looptest.Serve(t, h)))
	}
	waitSubscribers(t, r, channel, 2)
	scripttest.RunCases(t, 60*time.Second, []string{"count-across", "whoami", "broadcast-across", "to-room-across"},
		clientDir, "node", "benchapp.js", urls[0], urls[1], r.URL(), mode)
}

// waitSubscribers waits until n nodes listen on channel.
func waitSubscribers(t *testing.T, r *redistest.Server, channel string, n int64) {
	rdb := goredis.NewClient(&goredis.Options{Addr: r.Addr()})
	defer rdb.Close()
	deadline := time.Now().Add(10 * time.Second)
	for {
		m, err := rdb.PubSubNumSub(context.Background(), channel).Result()
		if sm, serr := rdb.PubSubShardNumSub(context.Background(), channel).Result(); serr == nil && sm[channel] > m[channel] {
			m = sm // the sharded adapter's subscribers
		}
		if err == nil && m[channel] == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("subscribers: %v %v", m, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestRedisFlags(t *testing.T) {
	for _, bad := range [][]string{
		{"-redis", "http://x"}, {"-redis", "redis://127.0.0.1:1", "-redis-mode", "gossip"},
		{"-redis", "redis://127.0.0.1:1", "-redis-mode", "sharded", "-redis-subscription-mode", "eager"},
	} {
		if _, _, err := standalone.Load(bad, nil); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
	cfg, _, err := standalone.Load([]string{"-redis", "redis://127.0.0.1:1/2", "-redis-prefix", "app"}, nil)
	if err != nil || cfg.Redis.URL == "" || cfg.Redis.Prefix != "app" || cfg.Redis.Mode != "pubsub" {
		t.Fatalf("%+v %v", cfg.Redis, err)
	}
}
