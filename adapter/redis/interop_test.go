package redis_test

import (
	"context"
	"path/filepath"
	"sort"
	"testing"
	"time"

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
	scripttest.RunCases(t, 90*time.Second, mixedCases, dir, "node", "cluster.js", r.URL(), g.url)
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
			scripttest.RunCases(t, 90*time.Second, cases, dir, "node", "cluster.js", r.URL(), g.url, string(mode))
		})
	}
}

// goClusterEvents are the sio-fast node's side of cluster.js: each event
// runs one cluster operation and acks its outcome. They run on their own
// goroutine, as the operations wait for the other node.
func goClusterEvents(t *testing.T, sio *socketio.Server, r *redistest.Server) {
	rdb := newClient(t, r)
	em := emitter.New(rdb, emitter.Options{})
	on := func(s *socketio.Socket, event string, fn func(args socketio.Args) any) {
		s.On(event, func(s *socketio.Socket, args socketio.Args, ack socketio.AckFunc) {
			args = args.Clone()
			go func() {
				res := fn(args)
				if ack != nil {
					ack(res)
				}
			}()
		})
	}
	sio.Of("/").OnServerSideEmit("ping-go", func(args socketio.Args, ack socketio.AckFunc) {
		ack("pong-go:" + str(args, 0))
	})
	sio.OnConnection(func(s *socketio.Socket) {
		s.SetData(map[string]any{"node": "go"})
		on(s, "go-emit", func(args socketio.Args) any {
			var spec struct {
				To, Except []string
				Event      string
				Args       []any
			}
			_ = args.Decode(0, &spec)
			return errString(sio.To(spec.To...).Except(spec.Except...).Emit(spec.Event, spec.Args...))
		})
		on(s, "go-emit-binary", func(args socketio.Args) any {
			return errString(sio.To(str(args, 0)).Emit("gbin", []byte{7, 8, 9}))
		})
		on(s, "go-ack-all", func(args socketio.Args) any {
			res, err := sio.Timeout(5*time.Second).EmitWithAck(context.Background(), "ask")
			if err != nil {
				return err.Error()
			}
			out := make([]string, 0, len(res))
			for _, a := range res {
				out = append(out, str(a, 0))
			}
			return out
		})
		on(s, "go-fetch", func(args socketio.Args) any {
			sockets, err := sio.In(str(args, 0)).FetchSockets()
			if err != nil {
				return err.Error()
			}
			out := []map[string]any{}
			for _, rs := range sockets {
				out = append(out, map[string]any{"id": rs.ID(), "rooms": rs.Rooms(), "data": rs.Data()})
			}
			return out
		})
		on(s, "go-fetch-emit", func(args socketio.Args) any {
			return withRemote(sio, str(args, 0), func(rs socketio.RemoteSocket) error { return rs.Emit(str(args, 1), "hi from go") })
		})
		on(s, "go-fetch-join", func(args socketio.Args) any {
			return withRemote(sio, str(args, 0), func(rs socketio.RemoteSocket) error { rs.Join(str(args, 1)); return nil })
		})
		on(s, "go-all-rooms", func(args socketio.Args) any {
			rooms, err := sio.Of("/").Adapter().(*redis.Adapter).AllRooms()
			if err != nil {
				return err.Error()
			}
			sort.Strings(rooms)
			return rooms
		})
		on(s, "go-sse", func(args socketio.Args) any {
			type result struct {
				err error
				res []socketio.Args
			}
			ch := make(chan result, 1)
			_ = sio.ServerSideEmitAck("ping-node", func(err error, res []socketio.Args) { ch <- result{err, res} }, str(args, 0))
			r := <-ch
			if r.err != nil {
				return r.err.Error()
			}
			out := []string{}
			for _, a := range r.res {
				out = append(out, str(a, 0))
			}
			return out
		})
		on(s, "go-join-all", func(args socketio.Args) any { sio.SocketsJoin(str(args, 0)); return nil })
		on(s, "go-disconnect", func(args socketio.Args) any { sio.In(str(args, 0)).DisconnectSockets(false); return nil })
		on(s, "go-emitter", func(args socketio.Args) any {
			return errString(em.To(str(args, 0)).Emit(context.Background(), str(args, 1), "via redis", map[string]int{"n": 1}))
		})
	})
}

func withRemote(sio *socketio.Server, id string, fn func(socketio.RemoteSocket) error) any {
	sockets, err := sio.FetchSockets()
	if err != nil {
		return err.Error()
	}
	for _, rs := range sockets {
		if rs.ID() == id {
			return errString(fn(rs))
		}
	}
	return "no socket " + id
}

func errString(err error) any {
	if err != nil {
		return err.Error()
	}
	return nil
}
