package socketio_test

import (
	"encoding/json"
	"maps"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sio-fast/sio-fast/internal/looptest"
	"github.com/sio-fast/sio-fast/internal/scripttest"

	"github.com/sio-fast/sio-fast/engineio"
	"github.com/sio-fast/sio-fast/loop"
	"github.com/sio-fast/sio-fast/socketio"
)

// interopCases are the cases client.js reports, in order.
var interopCases = []string{
	"echo-ack-polling", "echo-ack-websocket", "echo-ack-polling+websocket",
	"upgrade-under-load", "binary-nested", "rooms-broadcast",
	"namespace-middleware-error", "invalid-namespace", "server-disconnect-reason",
	"server-ack-to-client", "multiplex-namespaces", "dynamic-namespace-regexp",
	"dynamic-namespace-func", "client-ack-timeout", "server-ack-timeout",
	"broadcast-ack", "rooms-to-except", "volatile-websocket", "catch-all",
	"disconnect-close-engine-websocket", "disconnect-close-engine-polling",
	"disconnect-true-all-namespaces-websocket", "disconnect-true-all-namespaces-polling",
	"disconnect-sockets-close-websocket", "disconnect-sockets-close-polling",
	"client-disconnect-reason",
	"reconnect-after-transport-close", "server-ping-timeout", "client-ping-timeout",
	"server-close", "bundle-etag",
}

// interop3Cases are the cases client3.js (socket.io-client 3.1) reports.
var interop3Cases = []string{
	"v3-echo-ack-polling", "v3-echo-ack-websocket", "v3-echo-ack-polling+websocket",
	"v3-binary-nested", "v3-rooms-broadcast", "v3-namespace-middleware-error",
	"v3-invalid-namespace", "v3-dynamic-namespace-auth", "v3-server-ack-to-client",
	"v3-catch-all", "v3-server-disconnect-reason",
}

// serveInterop runs sio over TCP on a free port until the test ends, over
// TLS when given the option of looptest.TLS (a nil option is ignored).
func serveInterop(t *testing.T, sio *socketio.Server, eio engineio.Config, tlsOpt ...loop.Option) string {
	t.Helper()
	if len(tlsOpt) == 1 && tlsOpt[0] != nil {
		return looptest.HTTPSURL(looptest.Serve(t, sio.NewEngine(eio), tlsOpt[0]))
	}
	return looptest.URL(looptest.Serve(t, sio.NewEngine(eio)))
}

// whoami answers with what the server knows of the socket: its namespace,
// its id, the engine session id (the same for every namespace of one
// Manager) and the CONNECT auth payload.
func whoami(s *socketio.Socket) {
	s.On("whoami", func(s *socketio.Socket, args socketio.Args, ack socketio.AckFunc) {
		if ack != nil {
			ack(map[string]any{"nsp": s.Namespace().Name(), "id": s.ID(), "eid": s.Conn().ID(), "auth": s.Handshake().Auth})
		}
	})
	s.On("kick-close", func(s *socketio.Socket, args socketio.Args, ack socketio.AckFunc) { s.Disconnect(true) })
}

// catchAll records the event names the socket's catch-all listeners see
// and reports them on "any-report".
func catchAll(sio *socketio.Server, s *socketio.Socket) {
	var mu sync.Mutex
	var in, out []string
	s.OnAny(func(s *socketio.Socket, event string, args socketio.Args, ack socketio.AckFunc) {
		mu.Lock()
		in = append(in, event)
		mu.Unlock()
	})
	s.OnAnyOutgoing(func(s *socketio.Socket, event string, args socketio.Args, ack socketio.AckFunc) {
		mu.Lock()
		out = append(out, event)
		mu.Unlock()
	})
	s.On("emit-three", func(s *socketio.Socket, args socketio.Args, ack socketio.AckFunc) {
		_ = s.Emit("o1")
		_ = s.Emit("o2", 2)
		_ = sio.To(s.ID()).Emit("o3", "x") // a broadcast reaching this socket
	})
	s.On("any-report", func(s *socketio.Socket, args socketio.Args, ack socketio.AckFunc) {
		mu.Lock()
		defer mu.Unlock()
		if ack != nil {
			ack(map[string]any{"in": append([]string{}, in...), "out": append([]string{}, out...)})
		}
	})
}

// interopServer is the application the npm client drives: the bench
// contract's events, a private namespace, /admin, dynamic namespaces, acks
// with timeouts both ways, broadcast acks, rooms, volatile, catch-alls and
// server-side closes.
func interopServer(t *testing.T, tlsOpt loop.Option) string {
	t.Helper()
	sio := socketio.NewServer(socketio.Config{})
	sio.Of("/private").Use(func(s *socketio.Socket, next func(error)) {
		next(&socketio.ConnectError{Message: "not allowed", Data: map[string]any{"code": 42}})
	})
	sio.Of("/admin").OnConnection(whoami)
	sio.OfRegexp(regexp.MustCompile(`^/dyn-\d+$`)).OnConnection(whoami)
	sio.OfFunc(func(name string, auth []byte) bool {
		var a struct{ Token string }
		return strings.HasPrefix(name, "/fn-") && json.Unmarshal(auth, &a) == nil && a.Token == "open-sesame"
	}).OnConnection(whoami)
	sio.OnConnection(func(s *socketio.Socket) {
		whoami(s)
		catchAll(sio, s)
		benchEvents(sio, s)
		ackEvents(sio, s)
		s.On("to-except", func(s *socketio.Socket, args socketio.Args, ack socketio.AckFunc) {
			var to, except []string
			_ = args.Decode(0, &to)
			_ = args.Decode(1, &except)
			op := sio.To(to...).Except(except...)
			from, _ := args.String(2)
			if from == "socket" {
				op = s.To(to...).Except(except...) // the sender is left out
			}
			_ = op.Emit("tx", from)
		})
		s.On("volatile", func(s *socketio.Socket, args socketio.Args, ack socketio.AckFunc) {
			_ = s.Volatile().Emit("vol", 1)
			_ = sio.Volatile().To(s.ID()).Emit("vol", 2)
		})
		s.On("close-engine", func(s *socketio.Socket, args socketio.Args, ack socketio.AckFunc) {
			s.Conn().Close() // transport-level close: no DISCONNECT packet
		})
		s.On("disconnect-room", func(s *socketio.Socket, args socketio.Args, ack socketio.AckFunc) {
			room, _ := args.String(0)
			_ = sio.To(room).Emit("bye") // takes the parked GET: the rest waits for the next
			sio.In(room).DisconnectSockets(true)
		})
	})
	return serveInterop(t, sio, engineio.Config{}, tlsOpt)
}

// benchEvents are the bench contract's events plus a kick and rooms.
func benchEvents(sio *socketio.Server, s *socketio.Socket) {
	s.On("echo", func(s *socketio.Socket, args socketio.Args, ack socketio.AckFunc) {
		if ack != nil {
			ack(args.Raw(0)) // raw JSON passes through byte for byte
		}
	})
	s.On("echo-bin", func(s *socketio.Socket, args socketio.Args, ack socketio.AckFunc) {
		v, err := args.Value(0) // attachments come back as []byte at any depth
		if err == nil && ack != nil {
			ack(v)
		}
	})
	s.On("seq", func(s *socketio.Socket, args socketio.Args, ack socketio.AckFunc) {
		_ = s.Emit("seq", args.Raw(0))
	})
	s.On("join", func(s *socketio.Socket, args socketio.Args, ack socketio.AckFunc) {
		room, _ := args.String(0)
		s.Join(room)
		if ack != nil {
			ack(room)
		}
	})
	s.On("to-room", func(s *socketio.Socket, args socketio.Args, ack socketio.AckFunc) {
		room, _ := args.String(0)
		_ = sio.To(room).Emit("broadcast", args.Raw(1))
	})
	s.On("kick", func(s *socketio.Socket, args socketio.Args, ack socketio.AckFunc) {
		s.Disconnect(false)
	})
}

// ackEvents are server→client acks, with and without timeout, a handler
// that never acks, and broadcast acks.
func ackEvents(sio *socketio.Server, s *socketio.Socket) {
	s.On("ask", func(s *socketio.Socket, args socketio.Args, ack socketio.AckFunc) {
		_ = s.EmitAck("question", func(err error, reply socketio.Args) {
			if err == nil && ack != nil {
				ack(reply.Raw(0))
			}
		}, args.Raw(0))
	})
	s.On("never-ack", func(s *socketio.Socket, args socketio.Args, ack socketio.AckFunc) {})
	// ask-timed asks the client with a 500 ms timeout and reports the
	// outcome on "ask-result": "ok:<reply>" or the error text.
	s.On("ask-timed", func(s *socketio.Socket, args socketio.Args, ack socketio.AckFunc) {
		_ = s.Timeout(500*time.Millisecond).EmitAck("timed-question", func(err error, reply socketio.Args) {
			if err != nil {
				_ = s.Emit("ask-result", err.Error())
				return
			}
			v, _ := reply.String(0)
			_ = s.Emit("ask-result", "ok:"+v)
		}, args.Raw(0))
	})
	// bcast-ack(room, ms) broadcasts "poll" to room with a timeout and
	// acks {err, res}: the error text (or null) and every response.
	s.On("bcast-ack", func(s *socketio.Socket, args socketio.Args, ack socketio.AckFunc) {
		ms, _ := args.Int(1)
		room, _ := args.String(0)
		_ = sio.To(room).Timeout(time.Duration(ms)*time.Millisecond).EmitAck("poll", func(err error, res []socketio.Args) {
			got := make([]string, len(res))
			for i, r := range res {
				got[i], _ = r.String(0)
			}
			var e any
			if err != nil {
				e = err.Error()
			}
			if ack != nil {
				ack(map[string]any{"err": e, "res": got})
			}
		}, "q")
	})
}

// closingServer has short ping settings (400 ms interval, 300 ms timeout)
// and a "shutdown" event that runs Server.Close. It records the server-side
// disconnect reason of each socket under its auth "tag".
func closingServer(t *testing.T, tlsOpt loop.Option) (string, func() map[string]string) {
	t.Helper()
	sio := socketio.NewServer(socketio.Config{})
	var mu sync.Mutex
	reasons := map[string]string{}
	sio.OnConnection(func(s *socketio.Socket) {
		var a struct{ Tag string }
		_ = json.Unmarshal(s.Handshake().Auth, &a)
		s.OnDisconnect(func(s *socketio.Socket, r socketio.DisconnectReason) {
			mu.Lock()
			reasons[a.Tag] = string(r)
			mu.Unlock()
		})
		s.On("shutdown", func(s *socketio.Socket, args socketio.Args, ack socketio.AckFunc) {
			go func() { _ = sio.Close() }() // Close must not run on the loop
		})
	})
	url := serveInterop(t, sio, engineio.Config{PingInterval: 400 * time.Millisecond, PingTimeout: 300 * time.Millisecond}, tlsOpt)
	return url, func() map[string]string {
		mu.Lock()
		defer mu.Unlock()
		return maps.Clone(reasons)
	}
}

// TestInteropSocketIOClient drives the servers with npm socket.io-client
// 4.8 over TCP; client.js prints one JSON line per case (see its comments
// for what each asserts) and the server-side disconnect reasons of the
// closing server are checked here.
func TestInteropSocketIOClient(t *testing.T) {
	scripttest.NeedNode(t, "interop")
	runInterop(t, nil)
}

// TestInteropSocketIOClientTLS runs the same cases over https:// and wss://
// served by the reactor itself (loop.WithTLS), the client trusting a CA
// made for the test through NODE_EXTRA_CA_CERTS.
func TestInteropSocketIOClientTLS(t *testing.T) {
	scripttest.NeedNode(t, "interop")
	tlsOpt, caFile := looptest.TLS(t)
	t.Setenv("NODE_EXTRA_CA_CERTS", caFile)
	runInterop(t, tlsOpt)
}

// runInterop runs client.js against the interop and closing servers and
// checks the server-side disconnect reasons of the closing one.
func runInterop(t *testing.T, tlsOpt loop.Option) {
	url := interopServer(t, tlsOpt)
	url2, reasons := closingServer(t, tlsOpt)
	scripttest.RunCases(t, 90*time.Second, interopCases, ".", "node", "interop/client.js", url, url2)
	if t.Failed() {
		return
	}
	want := map[string]string{"server-ping": "ping timeout", "shutdown": "server shutting down"}
	deadline := time.Now().Add(2 * time.Second)
	for {
		got := reasons()
		ok := true
		for tag, r := range want {
			ok = ok && got[tag] == r
		}
		if ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("server-side reasons %v, want %v", got, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestInteropSocketIOClient3 drives the same application with npm
// socket.io-client 3.1 (README claims 3.x): acks as callbacks both ways,
// binary, rooms, CONNECT errors with data, auth, catch-all, every
// transport; client3.js asserts each case.
func TestInteropSocketIOClient3(t *testing.T) {
	scripttest.NeedNode(t, "interop")
	url := interopServer(t, nil)
	scripttest.RunCases(t, 60*time.Second, interop3Cases, ".", "node", "interop/client3.js", url)
}
