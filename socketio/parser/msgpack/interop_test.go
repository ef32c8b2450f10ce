package msgpack_test

import (
	"testing"
	"time"

	"github.com/sio-fast/sio-fast/engineio"
	"github.com/sio-fast/sio-fast/internal/looptest"
	"github.com/sio-fast/sio-fast/internal/scripttest"
	"github.com/sio-fast/sio-fast/socketio"
	"github.com/sio-fast/sio-fast/socketio/parser/msgpack"
)

// interopCases are the cases interop/client.js reports, in order.
var interopCases = []string{
	"echo-ack-polling", "echo-ack-websocket", "echo-ack-polling+websocket",
	"binary-polling", "binary-websocket", "date-undefined", "server-ack-to-client",
	"namespaces", "multiplex", "rooms-broadcast", "broadcast-ack",
}

// interopServer is a sio-fast server with the msgpack parser and the
// handlers client.js drives.
func interopServer(t *testing.T) string {
	t.Helper()
	sio := socketio.NewServer(socketio.Config{Parser: msgpack.Parser{}})
	whoami := func(s *socketio.Socket) {
		s.On("whoami", func(s *socketio.Socket, _ socketio.Args, ack socketio.AckFunc) {
			ack(map[string]any{"nsp": s.Namespace().Name(), "id": s.ID()})
		})
	}
	sio.Of("/admin").OnConnection(whoami)
	sio.Of("/private").Use(func(s *socketio.Socket, next func(error)) {
		next(&socketio.ConnectError{Message: "not allowed", Data: map[string]any{"code": 42}})
	})
	sio.OnConnection(func(s *socketio.Socket) {
		whoami(s)
		s.On("echo", func(_ *socketio.Socket, a socketio.Args, ack socketio.AckFunc) { ack(a.Raw(0)) })
		s.On("echo-bin", func(_ *socketio.Socket, a socketio.Args, ack socketio.AckFunc) {
			v, err := a.Value(0) // binary at any depth comes back as []byte
			if err != nil {
				t.Errorf("echo-bin: %v", err)
			}
			ack(v)
		})
		s.On("echo-all", func(_ *socketio.Socket, a socketio.Args, ack socketio.AckFunc) { ack(a) })
		s.On("ask", func(s *socketio.Socket, a socketio.Args, ack socketio.AckFunc) {
			_ = s.EmitAck("question", func(err error, reply socketio.Args) {
				ack(map[string]any{"n": reply.Raw(0), "bin": reply.Bytes(1)})
			}, a.Raw(0))
		})
		s.On("join", func(s *socketio.Socket, a socketio.Args, ack socketio.AckFunc) {
			room, _ := a.String(0)
			s.Join(room)
			ack(room)
		})
		s.On("to-room", func(_ *socketio.Socket, a socketio.Args, _ socketio.AckFunc) {
			room, _ := a.String(0)
			_ = sio.To(room).Emit("broadcast", a.Raw(1), []byte{1, 2, 3})
		})
		s.On("bcast-ack", func(_ *socketio.Socket, a socketio.Args, ack socketio.AckFunc) {
			room, _ := a.String(0)
			_ = sio.To(room).Timeout(5*time.Second).EmitAck("poll", func(err error, res []socketio.Args) {
				got := make([]string, len(res))
				for i, r := range res {
					got[i], _ = r.String(0)
				}
				var e any
				if err != nil {
					e = err.Error()
				}
				ack(map[string]any{"err": e, "res": got})
			}, "q")
		})
	})
	return looptest.URL(looptest.Serve(t, sio.NewEngine(engineio.Config{})))
}

// TestInteropMsgpackClient drives the server with npm socket.io-client 4.8
// and socket.io-msgpack-parser 3.0 over TCP: events and acks on every
// transport, binary (nested, spliced, over polling as base64), notepack's
// Date and undefined, server-to-client acks, namespaces and connect
// errors, multiplexing, room broadcasts and broadcast acks.
func TestInteropMsgpackClient(t *testing.T) {
	scripttest.NeedNode(t, "interop")
	url := interopServer(t)
	scripttest.RunCases(t, 90*time.Second, interopCases, ".", "node", "interop/client.js", url)
}
