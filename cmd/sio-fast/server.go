package main

import (
	_ "embed"
	"log/slog"
	"net/http"
	"time"

	"github.com/sio-fast/sio-fast/engineio"
	"github.com/sio-fast/sio-fast/loop"
	"github.com/sio-fast/sio-fast/socketio"
	"github.com/sio-fast/sio-fast/socketio/admin"
)

//go:embed chat.html
var chatPage []byte

// socketioServer builds the Socket.IO server of the server and bench-app
// modes, with the demo chat page at / (server mode).
func socketioServer(f flags, logger *slog.Logger) (loop.Handler, error) {
	codec, err := packetParser(f.parser)
	if err != nil {
		return nil, err
	}
	mode := f.mode
	newAdapter, err := f.cluster.adapter(logger)
	if err != nil {
		return nil, err
	}
	sio := socketio.NewServer(socketio.Config{Logger: logger, Parser: codec, Recovery: recoveryConfig(f.recovery), NewAdapter: newAdapter})
	if mode == "bench-app" {
		benchApp(sio)
		clusterEvents(sio)
	} else {
		chat(sio)
	}
	if f.admin {
		// Node: instrument(io, {auth: false, mode: "development"}). The
		// hosted UI reaches it with its "WebSocket only" option (no CORS).
		if _, err := admin.Instrument(sio, admin.Options{Mode: admin.Development}); err != nil {
			return nil, err
		}
	}
	return sio.NewEngine(engineio.Config{
		PingInterval: f.pingInterval,
		PingTimeout:  f.pingTimeout,
		Fallback: func(r *engineio.Request) (int, http.Header, []byte) {
			if mode == "server" && (r.Path() == "/" || r.Path() == "/index.html") {
				return 200, http.Header{"Content-Type": {"text/html; charset=utf-8"}}, chatPage
			}
			return 404, http.Header{"Content-Type": {"text/plain; charset=utf-8"}}, []byte("Not Found")
		},
	}), nil
}

// recoveryConfig is the bench contract's -recovery: connection state
// recovery with skipMiddlewares on; nil (off) for 0.
func recoveryConfig(window time.Duration) *socketio.Recovery {
	if window <= 0 {
		return nil
	}
	return &socketio.Recovery{MaxDisconnectionDuration: window, SkipMiddlewares: true}
}

// chat is the demo: every "chat" message goes to everyone else; the
// number of users is announced on arrival and departure.
func chat(sio *socketio.Server) {
	onChat := func(s *socketio.Socket, args socketio.Args, ack socketio.AckFunc) {
		_ = s.Broadcast().Emit("chat", args.Arg(0))
		if ack != nil {
			ack("delivered")
		}
	}
	onLeave := func(s *socketio.Socket, reason socketio.DisconnectReason) {
		_ = sio.Emit("users", sio.Sockets().NumSockets())
	}
	sio.OnConnection(func(s *socketio.Socket) {
		_ = sio.Emit("users", sio.Sockets().NumSockets())
		s.On("chat", onChat)
		s.OnDisconnect(onLeave)
	})
}

// benchApp is the application of the bench contract
// (../shared/bench-contract.md). The handlers are made once, outside the
// connection listener: every socket then registers the same func values
// and all share one handler list (see Socket.On) instead of holding
// closures and a list each.
func benchApp(sio *socketio.Server) {
	// Args passed as such (whole, or one with Arg) are sent as received,
	// binary attachments included, without a copy.
	echo := func(s *socketio.Socket, args socketio.Args, ack socketio.AckFunc) {
		if ack != nil {
			_ = ack(args)
		}
	}
	broadcast := func(s *socketio.Socket, args socketio.Args, ack socketio.AckFunc) {
		_ = sio.Emit("broadcast", args.Arg(0))
		if ack != nil {
			ack()
		}
	}
	join := func(s *socketio.Socket, args socketio.Args, ack socketio.AckFunc) {
		room, _ := args.String(0)
		s.Join(room)
		if ack != nil {
			ack(args.Arg(0))
		}
	}
	leave := func(s *socketio.Socket, args socketio.Args, ack socketio.AckFunc) {
		room, _ := args.String(0)
		s.Leave(room)
		if ack != nil {
			ack()
		}
	}
	toRoom := func(s *socketio.Socket, args socketio.Args, ack socketio.AckFunc) {
		room, _ := args.String(0)
		_ = sio.To(room).Emit("broadcast", args.Arg(1))
		if ack != nil {
			ack()
		}
	}
	sio.OnConnection(func(s *socketio.Socket) {
		s.On("echo", echo)
		s.On("broadcast", broadcast)
		s.On("join", join)
		s.On("leave", leave)
		s.On("to-room", toRoom)
	})
}
