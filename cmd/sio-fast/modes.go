package main

import (
	"fmt"
	"log/slog"

	"github.com/sio-fast/sio-fast/engineio"
	"github.com/sio-fast/sio-fast/internal/wsecho"
	"github.com/sio-fast/sio-fast/loop"
	"github.com/sio-fast/sio-fast/socketio/parser"
	"github.com/sio-fast/sio-fast/socketio/parser/msgpack"
)

// isMode reports whether name is one of the -mode values.
func isMode(name string) bool {
	switch name {
	case "server", "bench-app", "ws-echo", "engineio-echo":
		return true
	}
	return false
}

func handlerFor(f flags, logger *slog.Logger) (loop.Handler, error) {
	switch f.mode {
	case "ws-echo":
		return &wsecho.Handler{}, nil
	case "engineio-echo":
		return engineioEcho(), nil
	case "server", "bench-app":
		return socketioServer(f, logger)
	}
	return nil, fmt.Errorf("unknown mode %q", f.mode)
}

// packetParser returns the socketio.Config.Parser named by -parser (nil:
// the default format).
func packetParser(name string) (parser.Codec, error) {
	switch name {
	case "json":
		return nil, nil
	case "msgpack":
		return msgpack.Parser{}, nil
	}
	return nil, fmt.Errorf("unknown parser %q (json or msgpack)", name)
}

func engineioEcho() *engineio.Server {
	srv := engineio.NewServer(engineio.Config{})
	srv.OnConnection(func(s *engineio.Socket) {
		s.OnMessage(func(data []byte, binary bool) {
			s.Send(engineio.Message{Data: append([]byte(nil), data...), Binary: binary})
		})
	})
	return srv
}
