package main

import (
	"fmt"
	"log/slog"

	"github.com/sio-fast/sio-fast/engineio"
	"github.com/sio-fast/sio-fast/internal/wsecho"
	"github.com/sio-fast/sio-fast/loop"
	"github.com/sio-fast/sio-fast/standalone"
)

// handlerFor builds the handler of the modes other than server (which
// standalone runs), and the func to call once the loops serving it
// stopped: it closes what the handler runs besides its connections (the
// bench app's cluster adapters and Redis client).
func handlerFor(cfg *standalone.Config, logger *slog.Logger) (loop.Handler, func() error, error) {
	switch cfg.Mode {
	case "ws-echo":
		return &wsecho.Handler{}, noClose, nil
	case "engineio-echo":
		return engineioEcho(), noClose, nil
	case "bench-app":
		return benchAppServer(cfg, logger)
	}
	return nil, nil, fmt.Errorf("mode %q has no handler here", cfg.Mode)
}

// noClose is the close func of handlers that run nothing of their own.
func noClose() error { return nil }

func engineioEcho() *engineio.Server {
	srv := engineio.NewServer(engineio.Config{})
	srv.OnConnection(func(s *engineio.Socket) {
		s.OnMessage(func(data []byte, binary bool) {
			s.Send(engineio.Message{Data: append([]byte(nil), data...), Binary: binary})
		})
	})
	return srv
}
