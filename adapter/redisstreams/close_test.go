package redisstreams_test

import (
	"context"
	"strings"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/sio-fast/sio-fast/adapter/internal/clustertest"
	"github.com/sio-fast/sio-fast/adapter/redisstreams"
	"github.com/sio-fast/sio-fast/internal/redistest"
	"github.com/sio-fast/sio-fast/socketio"
)

// TestCloseLeavesNothing: a closed Streams adapter leaves no goroutine
// (its stream reader included) and dials Redis no more.
func TestCloseLeavesNothing(t *testing.T) {
	clustertest.CheckClose(t, func(rdb *goredis.Client) func(*socketio.Namespace) socketio.Adapter {
		return redisstreams.New(rdb, redisstreams.Options{Logger: quietLog, RequestsTimeout: 2 * time.Second})
	})
}

// TestCloseInterruptsRead: with Redis up and the stream reader blocked in
// a 10 s XREAD, Close returns at once and no adapter goroutine is left
// when it does; the user's client (a single-node client, a ring, a
// cluster client) still works, and no connection of the adapter stays
// open.
func TestCloseInterruptsRead(t *testing.T) {
	for _, c := range []struct {
		name      string
		start     func(testing.TB) *redistest.Server
		newClient func(addr string) goredis.UniversalClient
	}{
		{"client", redistest.Start, func(addr string) goredis.UniversalClient {
			return goredis.NewClient(&goredis.Options{Addr: addr, MaxRetries: -1})
		}},
		{"ring", redistest.Start, func(addr string) goredis.UniversalClient {
			return goredis.NewRing(&goredis.RingOptions{Addrs: map[string]string{"only": addr}, MaxRetries: -1})
		}},
		{"cluster", redistest.StartCluster, func(addr string) goredis.UniversalClient {
			return goredis.NewClusterClient(&goredis.ClusterOptions{Addrs: []string{addr}})
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := c.start(t)
			before := redistest.Goroutines(redistest.AdapterStacks)
			rdb := c.newClient(r.Addr())
			defer rdb.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			clustertest.WaitFor(t, "Redis to serve the stream's key", func() bool { return rdb.Exists(ctx, "socket.io").Err() == nil })
			sio, a := startStreams(t, rdb, 10*time.Second)
			if err := rdb.XAdd(ctx, &goredis.XAddArgs{Stream: "socket.io", Values: []string{"uid", "other", "nsp", "/", "type", "3",
				"data", `{"packet":{"type":2,"data":["ev"]},"opts":{"rooms":[],"except":[],"flags":{}}}`}}).Err(); err != nil {
				t.Fatal(err)
			}
			clustertest.WaitFor(t, "the entry to be read", func() bool { return a.Stats().Entries == 1 })
			clustertest.WaitFor(t, "the stream reader to block in XREAD", func() bool { return infoField(t, r, "blocked_clients") == "1" })

			if took := closeAll(t, sio, before); took > time.Second {
				t.Fatalf("Close took %v with a 10 s BlockTime", took)
			}
			if err := rdb.Ping(ctx).Err(); err != nil {
				t.Fatalf("the user's client after Close: %v", err)
			}
			if err := rdb.Close(); err != nil {
				t.Fatal(err)
			}
			// Only the connection INFO itself runs on is left.
			clustertest.WaitFor(t, "the adapter's connections to close", func() bool { return infoField(t, r, "connected_clients") == "1" })
		})
	}
}

// TestCloseWithRedisDown: Redis killed a moment before Close (the reader
// and the server count then wait on go-redis's dial, its retries or the
// reader's backoff), Close still returns at once and leaves no adapter
// goroutine. Before, the count's NUMSUB held Close up to RequestsTimeout.
func TestCloseWithRedisDown(t *testing.T) {
	for _, down := range []time.Duration{0, 50 * time.Millisecond, 300 * time.Millisecond, 1500 * time.Millisecond} {
		t.Run(down.String(), func(t *testing.T) {
			r := redistest.Start(t)
			before := redistest.Goroutines(redistest.AdapterStacks)
			rdb := goredis.NewClient(&goredis.Options{Addr: r.Addr()}) // go-redis's default retries and dials
			defer rdb.Close()
			sio, _ := startStreams(t, rdb, 10*time.Second)
			r.Kill()
			time.Sleep(down)
			if took := closeAll(t, sio, before); took > 500*time.Millisecond {
				t.Fatalf("Close took %v", took)
			}
		})
	}
}

// wrapped is a UniversalClient the adapter cannot copy.
type wrapped struct{ *goredis.Client }

// TestCloseWaitsForSharedRead: with a client type the adapter cannot copy,
// the reader shares it and Close waits for its XREAD (BlockTime, short
// here): no adapter goroutine is left once Close returns either.
func TestCloseWaitsForSharedRead(t *testing.T) {
	r := redistest.Start(t)
	before := redistest.Goroutines(redistest.AdapterStacks)
	rdb := wrapped{goredis.NewClient(&goredis.Options{Addr: r.Addr(), MaxRetries: -1})}
	defer rdb.Close()
	sio, _ := startStreams(t, rdb, 300*time.Millisecond)
	clustertest.WaitFor(t, "the stream reader to block in XREAD", func() bool { return infoField(t, r, "blocked_clients") == "1" })
	closeAll(t, sio, before)
	if err := rdb.Ping(context.Background()).Err(); err != nil {
		t.Fatalf("the user's client after Close: %v", err)
	}
}

// startStreams runs a server whose main namespace is on a Streams adapter
// of rdb, blocking blockTime per XREAD, and waits until it is ready.
func startStreams(t *testing.T, rdb goredis.UniversalClient, blockTime time.Duration) (*socketio.Server, *redisstreams.Adapter) {
	t.Helper()
	sio := socketio.NewServer(socketio.Config{Logger: quietLog,
		NewAdapter: redisstreams.New(rdb, redisstreams.Options{Logger: quietLog, BlockTime: blockTime})})
	a := sio.Of("/").Adapter().(*redisstreams.Adapter)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := a.WaitReady(ctx); err != nil {
		t.Fatal(err)
	}
	return sio, a
}

// closeAll closes sio and fails t if, 50 ms after Close returned (for
// goroutines past their last Done), an adapter goroutine is running that
// was not at before; it returns how long Close took.
func closeAll(t *testing.T, sio *socketio.Server, before map[string]string) time.Duration {
	t.Helper()
	start := time.Now()
	if err := sio.Close(); err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	redistest.WaitGoroutinesGoneWithin(t, 50*time.Millisecond, before, redistest.AdapterStacks)
	t.Logf("Close took %v", took)
	return took
}

// infoField is a field of Redis's INFO clients.
func infoField(t *testing.T, r *redistest.Server, field string) string {
	t.Helper()
	c := goredis.NewClient(&goredis.Options{Addr: r.Addr(), MaxRetries: -1, PoolSize: 1})
	defer c.Close()
	info, err := c.Info(context.Background(), "clients").Result()
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(info, "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			return strings.TrimSpace(v)
		}
	}
	return ""
}
