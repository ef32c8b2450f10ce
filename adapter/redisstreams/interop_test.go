package redisstreams_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/sio-fast/sio-fast/internal/redistest"
	"github.com/sio-fast/sio-fast/internal/scripttest"
	"github.com/sio-fast/sio-fast/socketio"
)

// mixedCases are the cases interop/cluster.js reports, in order.
var mixedCases = []string{
	"node-to-go-broadcast", "go-to-node-broadcast", "binary-both-ways", "node-ack-across", "go-ack-across",
	"node-fetch-go-sockets", "go-fetch-node-sockets", "server-side-emit-node-to-go", "server-side-emit-go-to-node",
	"sockets-join-across", "recovery-go-to-node", "recovery-node-to-go", "disconnect-across",
}

// TestMixedClusterWithNode runs a sio-fast node and a Node node
// (socket.io 4.8 + @socket.io/redis-streams-adapter 0.3) on one Redis,
// connection state recovery on both, with socket.io-client 4.8 clients on
// both: broadcasts, acks, fetchSockets, serverSideEmit, socketsJoin and
// disconnectSockets both ways, and clients recovering their session on the
// other node in both directions.
func TestMixedClusterWithNode(t *testing.T) {
	dir := filepath.Join("interop")
	scripttest.NeedNode(t, dir)
	r := redistest.Start(t)
	rec := &socketio.Recovery{MaxDisconnectionDuration: time.Minute}
	g := startNode(t, r, rec, goClusterEvents)
	scripttest.RunCases(t, 120*time.Second, mixedCases, dir, "node", "cluster.js", r.URL(), g.url)
}

// goClusterEvents are the sio-fast node's side of cluster.js: each event
// runs one cluster operation and acks its outcome. They run on their own
// goroutine, as the operations wait for the other node.
func goClusterEvents(sio *socketio.Server) {
	on := func(s *socketio.Socket, event string, fn func(args socketio.Args) any) {
		s.On(event, func(s *socketio.Socket, args socketio.Args, ack socketio.AckFunc) {
			args = args.Clone()
			go func() {
				res := fn(args)
				if ack != nil {
					_ = ack(res)
				}
			}()
		})
	}
	sio.Of("/").OnServerSideEmit("ping-go", func(args socketio.Args, ack socketio.AckFunc) {
		_ = ack("pong-go:" + str(args, 0))
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
			sockets, err := sio.FetchSockets()
			if err != nil {
				return err.Error()
			}
			for _, rs := range sockets {
				if rs.ID() == str(args, 0) {
					return errString(rs.Emit(str(args, 1), "hi from go"))
				}
			}
			return "no socket"
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
	})
}

func errString(err error) any {
	if err != nil {
		return err.Error()
	}
	return nil
}
