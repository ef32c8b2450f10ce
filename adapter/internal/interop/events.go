package interop

import (
	"context"
	"sort"
	"time"

	"github.com/sio-fast/sio-fast/adapter/internal/clustertest"
	"github.com/sio-fast/sio-fast/socketio"
)

// On registers event on one socket: fn runs the operation with the
// event's arguments and its result is the ack's value.
type On func(event string, fn func(args socketio.Args) any)

// GoClusterEvents adds to sio the events cluster.js asks the sio-fast
// node for, and what extra adds on each socket (an adapter's own
// operations). Each runs on a goroutine of its own, as the operations
// wait for the other node. Call before sio serves.
func GoClusterEvents(sio *socketio.Server, extra func(on On)) {
	sio.Of("/").OnServerSideEmit("ping-go", func(args socketio.Args, ack socketio.AckFunc) {
		_ = ack("pong-go:" + clustertest.Str(args, 0))
	})
	sio.OnConnection(func(s *socketio.Socket) {
		s.SetData(map[string]any{"node": "go"})
		on := onSocket(s)
		broadcastEvents(sio, on)
		requestEvents(sio, on)
		if extra != nil {
			extra(on)
		}
	})
}

// onSocket is On for s: fn runs on its own goroutine with a copy of the
// arguments (they do not outlive the handler).
func onSocket(s *socketio.Socket) On {
	return func(event string, fn func(args socketio.Args) any) {
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
}

// broadcastEvents: broadcasts, binary, broadcasts with ack, socketsJoin
// and disconnectSockets.
func broadcastEvents(sio *socketio.Server, on On) {
	on("go-emit", func(args socketio.Args) any {
		var spec struct {
			To, Except []string
			Event      string
			Args       []any
		}
		_ = args.Decode(0, &spec)
		return ErrString(sio.To(spec.To...).Except(spec.Except...).Emit(spec.Event, spec.Args...))
	})
	on("go-emit-binary", func(args socketio.Args) any {
		return ErrString(sio.To(str(args, 0)).Emit("gbin", []byte{7, 8, 9}))
	})
	on("go-ack-all", func(args socketio.Args) any {
		res, err := sio.Timeout(5*time.Second).EmitWithAck(context.Background(), "ask")
		if err != nil {
			return err.Error()
		}
		return firstStrings(res)
	})
	on("go-join-all", func(args socketio.Args) any { sio.SocketsJoin(str(args, 0)); return nil })
	on("go-disconnect", func(args socketio.Args) any { sio.In(str(args, 0)).DisconnectSockets(false); return nil })
}

// requestEvents: fetchSockets and what a remote socket does, allRooms
// (where the adapter has it), the server count, serverSideEmit with ack.
func requestEvents(sio *socketio.Server, on On) {
	on("go-fetch", func(args socketio.Args) any {
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
	on("go-fetch-emit", func(args socketio.Args) any {
		return withRemote(sio, str(args, 0), func(rs socketio.RemoteSocket) error { return rs.Emit(str(args, 1), "hi from go") })
	})
	on("go-fetch-join", func(args socketio.Args) any {
		return withRemote(sio, str(args, 0), func(rs socketio.RemoteSocket) error { rs.Join(str(args, 1)); return nil })
	})
	on("go-all-rooms", func(args socketio.Args) any {
		a, ok := sio.Of("/").Adapter().(interface {
			AllRooms() ([]socketio.Room, error)
		})
		if !ok {
			return "no allRooms on this adapter"
		}
		rooms, err := a.AllRooms()
		if err != nil {
			return err.Error()
		}
		sort.Strings(rooms)
		return rooms
	})
	// The cached count a broadcast with ack expects answers from (the
	// adapters refresh it every second).
	on("go-server-count", func(args socketio.Args) any { return sio.Of("/").Adapter().ServerCount() })
	on("go-sse", func(args socketio.Args) any {
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
		return firstStrings(r.res)
	})
}

// withRemote runs fn on the socket id among every node's sockets.
func withRemote(sio *socketio.Server, id string, fn func(socketio.RemoteSocket) error) any {
	sockets, err := sio.FetchSockets()
	if err != nil {
		return err.Error()
	}
	for _, rs := range sockets {
		if rs.ID() == id {
			return ErrString(fn(rs))
		}
	}
	return "no socket " + id
}

// firstStrings are the first (string) values of answers.
func firstStrings(answers []socketio.Args) []string {
	out := make([]string, 0, len(answers))
	for _, a := range answers {
		out = append(out, str(a, 0))
	}
	return out
}

// ErrString is an operation's outcome as an ack value: nil, or the error.
func ErrString(err error) any {
	if err != nil {
		return err.Error()
	}
	return nil
}

func str(args socketio.Args, i int) string { return clustertest.Str(args, i) }
