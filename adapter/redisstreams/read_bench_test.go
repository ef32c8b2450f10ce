package redisstreams_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/sio-fast/sio-fast/adapter/redisstreams"
	"github.com/sio-fast/sio-fast/internal/redistest"
	"github.com/sio-fast/sio-fast/socketio"
)

// xreadCalls is Redis's count of XREAD commands so far (INFO
// commandstats).
func xreadCalls(b *testing.B, rdb *goredis.Client) int64 {
	info, err := rdb.Info(context.Background(), "commandstats").Result()
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(info, "\n") {
		if rest, ok := strings.CutPrefix(line, "cmdstat_xread:calls="); ok {
			n, _ := strconv.ParseInt(rest[:strings.IndexByte(rest, ',')], 10, 64)
			return n
		}
	}
	return 0
}

// BenchmarkStreamRead: another process (redis-cli) adds b.N broadcast
// entries at about 1,000/s to the stream of a node with no local client;
// reported are the node's XREAD commands per entry (Redis's own count)
// and its CPU per entry, with the read batching off (the default) and at a 20 ms window.
// Run with -benchtime=3000x.
func BenchmarkStreamRead(b *testing.B) {
	r := redistest.Start(b)
	for _, w := range []struct {
		name   string
		window time.Duration
	}{{"off", 0}, {"20ms", 20 * time.Millisecond}} {
		b.Run("batch="+w.name, func(b *testing.B) {
			nd := startNodeWith(b, r, nil, nil, func(rdb *goredis.Client) func(*socketio.Namespace) socketio.Adapter {
				return redisstreams.New(rdb, redisstreams.Options{Logger: quietLog, BatchWindow: w.window})
			})
			a := nd.adapter()
			start, calls, cpu := a.Stats().Entries, xreadCalls(b, nd.RDB), redistest.ProcessCPU(b)
			b.ResetTimer()
			r.RunPaced(b, nil, b.N, "XADD", "socket.io", "*", "uid", "other", "nsp", "/", "type", "3",
				"data", `{"packet":{"type":2,"data":["broadcast",{"t":100123456789,"p":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}]},"opts":{"rooms":[],"except":[],"flags":{}}}`)
			deadline := time.Now().Add(30 * time.Second)
			for a.Stats().Entries-start < uint64(b.N) {
				if time.Now().After(deadline) {
					b.Fatalf("read %d of %d entries", a.Stats().Entries-start, b.N)
				}
				time.Sleep(time.Millisecond)
			}
			b.StopTimer()
			b.ReportMetric(float64(redistest.ProcessCPU(b)-cpu)/float64(b.N), "cpu-ns/entry")
			b.ReportMetric(float64(xreadCalls(b, nd.RDB)-calls)/float64(b.N), "xread/entry")
		})
	}
}
