package redisstreams_test

import (
	"slices"
	"strconv"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/sio-fast/sio-fast/adapter/redis"
	"github.com/sio-fast/sio-fast/adapter/redisstreams"
	"github.com/sio-fast/sio-fast/internal/redistest"
	"github.com/sio-fast/sio-fast/internal/siotest"
	"github.com/sio-fast/sio-fast/socketio"
)

// BenchmarkCrossNodeLatency measures, side by side on one Redis, the time
// from Emit on node A to the packet read by a WebSocket client of node B:
// through the Streams adapter (XADD, then XREAD BLOCK on B) and through the
// classic Pub/Sub adapter (PUBLISH). One broadcast in flight at a time;
// p50/p99 are reported in µs.
func BenchmarkCrossNodeLatency(b *testing.B) {
	adapters := map[string]func(*goredis.Client) func(*socketio.Namespace) socketio.Adapter{
		"streams": func(rdb *goredis.Client) func(*socketio.Namespace) socketio.Adapter {
			return redisstreams.New(rdb, redisstreams.Options{Logger: quietLog})
		},
		"pubsub": func(rdb *goredis.Client) func(*socketio.Namespace) socketio.Adapter {
			return redis.New(rdb, redis.Options{Logger: quietLog})
		},
	}
	for _, name := range []string{"pubsub", "streams"} {
		b.Run(name, func(b *testing.B) {
			r := redistest.Start(b)
			a := startNodeWith(b, r, nil, nil, adapters[name])
			n := startNodeWith(b, r, nil, nil, adapters[name])
			c := siotest.Dial(b, n.URL) // each node's Start waited for its WaitReady: n gets what a publishes
			lat := make([]time.Duration, 0, b.N)
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				start := time.Now()
				_ = a.Sio.Emit("t", i)
				if got, want := c.Next(), `42["t",`+strconv.Itoa(i)+`]`; got != want {
					b.Fatalf("got %q, want %q", got, want)
				}
				lat = append(lat, time.Since(start))
			}
			b.StopTimer()
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
		})
	}
}
