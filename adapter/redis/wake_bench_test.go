package redis_test

import (
	"bytes"
	"os/exec"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/sio-fast/sio-fast/adapter/redis"
	"github.com/sio-fast/sio-fast/internal/redisproto"
	"github.com/sio-fast/sio-fast/internal/redistest"
)

// publishPaced publishes msg n times on channel from another process
// (redis-cli, one command per millisecond), so that the receiving node's
// CPU is measured alone and the messages arrive spread out as in a
// cluster, not in one burst.
func publishPaced(b *testing.B, r *redistest.Server, cmd, channel string, msg []byte, n int) {
	cli, err := exec.LookPath("redis-cli")
	if err != nil {
		b.Skip("redis-cli not installed (scripts/ci-setup.sh installs redis-server with it)")
	}
	c := exec.Command(cli, "-p", strconv.Itoa(r.Port), "-x", "-r", strconv.Itoa(n), "-i", "0.001", cmd, channel)
	var stderr bytes.Buffer
	c.Stdin, c.Stderr = bytes.NewReader(msg), &stderr // stdout (a reply per command) to /dev/null: reading it would wake this process
	if err := c.Run(); err != nil {
		b.Fatalf("redis-cli: %v: %s", err, stderr.Bytes())
	}
}

// processCPU is the CPU time (user + system) this process used so far.
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// measureReceiveCPU publishes b.N messages from another process at about
// 1,000/s and reports the receiving node's CPU per message (cpu-ns/msg):
// the cost of a remote broadcast with no local recipient, where waking
// up for each message dominates. Run with -benchtime=3000x.
func measureReceiveCPU(b *testing.B, r *redistest.Server, cmd, channel string, msg []byte, received func() uint64) {
	start := received()
	cpu := processCPU(b)
	b.ResetTimer()
	publishPaced(b, r, cmd, channel, msg, b.N)
	deadline := time.Now().Add(30 * time.Second)
	for received()-start < uint64(b.N) {
		if time.Now().After(deadline) {
			b.Fatalf("received %d of %d messages", received()-start, b.N)
		}
		time.Sleep(time.Millisecond)
	}
	b.StopTimer()
	b.ReportMetric(float64(processCPU(b)-cpu)/float64(b.N), "cpu-ns/msg")
}

// BenchmarkReceiveCPU: a node's CPU per remote broadcast it has no local
// recipient for, classic (PUBLISH) and sharded (SPUBLISH) adapters, with
// the receiver's batching off and at its default window.
func BenchmarkReceiveCPU(b *testing.B) {
	r := redistest.Start(b)
	data := redisproto.AppendClusterBroadcastData(nil,
		[]byte(`["broadcast",{"t":100123456789,"p":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}]`), "",
		&redisproto.Opts{Rooms: []string{}, Except: []string{}})
	cluster, err := redisproto.AppendCluster(nil, "other0123456789a", "/", redisproto.ClusterBroadcast, data, nil)
	if err != nil {
		b.Fatal(err)
	}
	for _, w := range []struct {
		name   string
		window time.Duration
	}{{"off", -1}, {"default", 0}} {
		b.Run("adapter=pubsub/batch="+w.name, func(b *testing.B) {
			a := startNode(b, r, redis.Options{BatchWindow: w.window}, nil).adapter()
			measureReceiveCPU(b, r, "PUBLISH", "socket.io#/#", remoteBroadcast(b),
				func() uint64 { return a.Stats().Received })
		})
		b.Run("adapter=sharded/batch="+w.name, func(b *testing.B) {
			a := startSharded(b, r, redis.SubscribeDynamic, redis.Options{BatchWindow: w.window}, nil).adapter()
			measureReceiveCPU(b, r, "SPUBLISH", "socket.io#/#", cluster, func() uint64 { return a.Stats().Received })
		})
	}
}
