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
// standalone runs).
func handlerFor(cfg *standalone.Config, logger *slog.Logger) (loop.Handler, error) {
	switch cfg.Mode {
	case "ws-echo":
		return &wsecho.Handler{}, nil
	case "engineio-echo":
		return engineioEcho(), nil
	case "bench-app":
		return benchAppServer(cfg, logger)
	}
	return nil, fmt.Errorf("mode %q has no handler here", cfg.Mode)
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
