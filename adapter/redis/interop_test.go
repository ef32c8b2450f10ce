package redis_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/sio-fast/sio-fast/adapter/internal/clustertest"
	"github.com/sio-fast/sio-fast/adapter/internal/interop"
	"github.com/sio-fast/sio-fast/adapter/redis"
	"github.com/sio-fast/sio-fast/emitter"
	"github.com/sio-fast/sio-fast/internal/redistest"
	"github.com/sio-fast/sio-fast/internal/scripttest"
	"github.com/sio-fast/sio-fast/socketio"
)

// mixedCases are the cases interop/cluster.js reports, in order.
var mixedCases = []string{
	"node-to-go-broadcast", "go-to-node-broadcast", "binary-both-ways", "node-ack-across", "go-ack-across",
	"node-fetch-go-sockets", "go-fetch-node-sockets", "all-rooms-across", "server-side-emit-node-to-go",
	"server-side-emit-go-to-node", "sockets-join-across", "node-emitter-to-go", "go-emitter-to-node",
	"disconnect-across",
}

// TestMixedClusterWithNode runs a sio-fast node and a Node node
// (socket.io 4.8 + @socket.io/redis-adapter 8.3) on one Redis, with
// socket.io-client 4.8 clients on both: every cluster operation both ways.
func TestMixedClusterWithNode(t *testing.T) {
	dir := filepath.Join("interop")
	scripttest.NeedNode(t, dir)
	r := redistest.Start(t)
	g := startNode(t, r, redis.Options{RequestsTimeout: 3 * time.Second}, func(sio *socketio.Server) { goClusterEvents(t, sio, r) })
	scripttest.RunCases(t, 90*time.Second, mixedCases, dir, "node", "cluster.js", r.URL(), g.URL)
}

// TestMixedShardedClusterWithNode is the mixed cluster on the sharded
// adapter (Node's createShardedAdapter) in each subscription mode, without
// the cases that only exist for the classic adapter.
func TestMixedShardedClusterWithNode(t *testing.T) {
	dir := filepath.Join("interop")
	scripttest.NeedNode(t, dir)
	var cases []string
	for _, c := range mixedCases {
		if c != "all-rooms-across" && c != "node-emitter-to-go" && c != "go-emitter-to-node" {
			cases = append(cases, c)
		}
	}
	for _, mode := range subscriptionModes {
		t.Run(string(mode), func(t *testing.T) {
			r := redistest.Start(t)
			g := startSharded(t, r, mode, redis.Options{}, func(sio *socketio.Server) { goClusterEvents(t, sio, r) })
			scripttest.RunCases(t, 90*time.Second, cases, dir, "node", "cluster.js", r.URL(), g.URL, string(mode))
		})
	}
}

// goClusterEvents are the sio-fast node's side of cluster.js, with the
// Go emitter (the classic adapter's wire format) as an event of its own.
func goClusterEvents(t *testing.T, sio *socketio.Server, r *redistest.Server) {
	em := emitter.New(clustertest.NewClient(t, r), emitter.Options{})
	interop.GoClusterEvents(sio, func(on interop.On) {
		on("go-emitter", func(args socketio.Args) any {
			return interop.ErrString(em.To(clustertest.Str(args, 0)).Emit(context.Background(), clustertest.Str(args, 1), "via redis", map[string]int{"n": 1}))
		})
	})
}
