package redis_test

import (
	"testing"
	"time"

	"github.com/sio-fast/sio-fast/adapter/redis"
	"github.com/sio-fast/sio-fast/internal/redisproto"
	"github.com/sio-fast/sio-fast/internal/redistest"
)

// measureReceiveCPU publishes b.N messages from another process at about
// 1,000/s and reports the receiving node's CPU per message (cpu-ns/msg):
// the cost of a remote broadcast with no local recipient, where waking
// up for each message dominates. Run with -benchtime=3000x.
func measureReceiveCPU(b *testing.B, r *redistest.Server, cmd, channel string, msg []byte, received func() uint64) {
	start := received()
	cpu := redistest.ProcessCPU(b)
	b.ResetTimer()
	r.RunPaced(b, msg, b.N, cmd, channel)
	deadline := time.Now().Add(30 * time.Second)
	for received()-start < uint64(b.N) {
		if time.Now().After(deadline) {
			b.Fatalf("received %d of %d messages", received()-start, b.N)
		}
		time.Sleep(time.Millisecond)
	}
	b.StopTimer()
	b.ReportMetric(float64(redistest.ProcessCPU(b)-cpu)/float64(b.N), "cpu-ns/msg")
}

// BenchmarkReceiveCPU: a node's CPU per remote broadcast it has no local
// recipient for, classic (PUBLISH) and sharded (SPUBLISH) adapters, with
// the receiver's batching off (the default) and at a 20 ms window.
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
	}{{"off", 0}, {"20ms", 20 * time.Millisecond}} {
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
