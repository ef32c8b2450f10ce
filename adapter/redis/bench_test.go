package redis_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/sio-fast/sio-fast/adapter/internal/clustertest"
	"github.com/sio-fast/sio-fast/adapter/redis"
	"github.com/sio-fast/sio-fast/internal/redisproto"
	"github.com/sio-fast/sio-fast/internal/redistest"
	"github.com/sio-fast/sio-fast/internal/siotest"
	"github.com/sio-fast/sio-fast/socketio"
)

// remoteBroadcast is a bench-contract broadcast published by another node.
func remoteBroadcast(tb testing.TB, rooms ...string) []byte {
	m := &redisproto.Broadcast{UID: "other1", Nsp: "/",
		Data: []byte(`["broadcast",{"t":100123456789,"p":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}]`), Opts: redisproto.Opts{Rooms: rooms}}
	msg, err := redisproto.AppendBroadcast(nil, m, redisproto.AdapterOrder)
	if err != nil {
		tb.Fatal(err)
	}
	return msg
}

// drainingClients connects n clients to nd that read and discard.
func drainingClients(tb testing.TB, nd node, n int) {
	for range n {
		siotest.Dial(tb, nd.URL).Drain()
	}
	deadline := time.Now().Add(10 * time.Second)
	for nd.Sio.Sockets().NumSockets() < n {
		if time.Now().After(deadline) {
			tb.Fatal("clients did not connect")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// BenchmarkRemoteBroadcast: what a node spends on one broadcast received
// from another node: decode once, encode once, write to each local
// recipient (the writes complete on the event loops).
func BenchmarkRemoteBroadcast(b *testing.B) {
	r := redistest.Start(b)
	for _, n := range []int{0, 100} {
		b.Run(fmt.Sprintf("recipients=%d", n), func(b *testing.B) {
			nd := startNode(b, r, redis.Options{}, nil)
			drainingClients(b, nd, n)
			msg := remoteBroadcast(b)
			a := nd.adapter()
			b.ReportAllocs()
			for b.Loop() {
				a.HandleMessage("socket.io#/#", msg)
			}
		})
	}
}

// BenchmarkEmit compares, side by side, io.emit with the in-memory adapter
// and with the Redis adapter (encode, MessagePack, queue; Redis is written
// by the publisher goroutine), with one local recipient.
func BenchmarkEmit(b *testing.B) {
	r := redistest.Start(b)
	data := map[string]any{"t": 100123456789, "p": "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}
	run := func(b *testing.B, sio *socketio.Server) {
		b.ReportAllocs()
		for b.Loop() {
			_ = sio.Emit("broadcast", data)
		}
	}
	b.Run("adapter=memory", func(b *testing.B) {
		sio := socketio.NewServer(socketio.Config{Logger: quietLog})
		nd := node{&clustertest.Node{Sio: sio, URL: clustertest.Serve(b, sio)}}
		drainingClients(b, nd, 1)
		run(b, sio)
	})
	b.Run("adapter=redis", func(b *testing.B) {
		nd := startNode(b, r, redis.Options{PublishQueue: 1 << 20}, nil)
		drainingClients(b, nd, 1)
		run(b, nd.Sio)
	})
}
