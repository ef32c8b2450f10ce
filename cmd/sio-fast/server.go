package main

import (
	"log/slog"

	"github.com/sio-fast/sio-fast/loop"
	"github.com/sio-fast/sio-fast/socketio"
	"github.com/sio-fast/sio-fast/standalone"
)

// benchAppServer builds the Socket.IO server of the bench-app mode
// (path, parser, heartbeat and limits from the configuration), and the
// func that closes it (standalone.NewSocketIO's).
func benchAppServer(cfg *standalone.Config, logger *slog.Logger) (loop.Handler, func() error, error) {
	sio, closeSIO, err := benchAppSocketIO(cfg, logger)
	if err != nil {
		return nil, nil, err
	}
	return sio.NewEngine(standalone.EngineConfig(cfg)), closeSIO, nil
}

// benchAppSocketIO is the bench app's Socket.IO server before its engine
// is made (tests add their own connection listeners there), and the func
// that closes it (standalone.NewSocketIO's).
func benchAppSocketIO(cfg *standalone.Config, logger *slog.Logger) (*socketio.Server, func() error, error) {
	sio, closeSIO, err := standalone.NewSocketIO(cfg, logger)
	if err != nil {
		return nil, nil, err
	}
	benchApp(sio)
	clusterEvents(sio)
	return sio, closeSIO, nil
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
