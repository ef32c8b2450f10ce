package redisstreams_test

import (
	"bytes"
	"context"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
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

func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkStreamRead: another process (redis-cli) adds b.N broadcast
// entries at about 1,000/s to the stream of a node with no local client;
// reported are the node's XREAD commands per entry (Redis's own count)
// and its CPU per entry, with the read batching off and at its default.
// Run with -benchtime=3000x.
func BenchmarkStreamRead(b *testing.B) {
	cli, err := exec.LookPath("redis-cli")
	if err != nil {
		b.Skip("redis-cli not installed (scripts/ci-setup.sh installs redis-server with it)")
	}
	r := redistest.Start(b)
	for _, w := range []struct {
		name   string
		window time.Duration
	}{{"off", -1}, {"default", 0}} {
		b.Run("batch="+w.name, func(b *testing.B) {
			nd := startNodeWith(b, r, nil, nil, func(rdb *goredis.Client) func(*socketio.Namespace) socketio.Adapter {
				return redisstreams.New(rdb, redisstreams.Options{Logger: quietLog, BatchWindow: w.window})
			})
			a := nd.adapter()
			start, calls, cpu := a.Stats().Entries, xreadCalls(b, nd.rdb), processCPU(b)
			b.ResetTimer()
			c := exec.Command(cli, "-p", strconv.Itoa(r.Port), "-r", strconv.Itoa(b.N), "-i", "0.001",
				"XADD", "socket.io", "*", "uid", "other", "nsp", "/", "type", "3",
				"data", `{"packet":{"type":2,"data":["broadcast",{"t":100123456789,"p":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}]},"opts":{"rooms":[],"except":[],"flags":{}}}`)
			var stderr bytes.Buffer
			c.Stderr = &stderr // stdout (a reply per command) to /dev/null: reading it would wake this process
			if err := c.Run(); err != nil {
				b.Fatalf("redis-cli: %v: %s", err, stderr.Bytes())
			}
			deadline := time.Now().Add(30 * time.Second)
			for a.Stats().Entries-start < uint64(b.N) {
				if time.Now().After(deadline) {
					b.Fatalf("read %d of %d entries", a.Stats().Entries-start, b.N)
				}
				time.Sleep(time.Millisecond)
			}
			b.StopTimer()
			b.ReportMetric(float64(processCPU(b)-cpu)/float64(b.N), "cpu-ns/entry")
			b.ReportMetric(float64(xreadCalls(b, nd.rdb)-calls)/float64(b.N), "xread/entry")
		})
	}
}
