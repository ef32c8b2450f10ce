package main

import (
	"fmt"
	"log/slog"

	"github.com/sio-fast/sio-fast/engineio"
	"github.com/sio-fast/sio-fast/internal/wsecho"
	"github.com/sio-fast/sio-fast/loop"
)

func handlerFor(mode string, logger *slog.Logger) (loop.Handler, error) {
	switch mode {
	case "ws-echo":
		return &wsecho.Handler{}, nil
	case "engineio-echo":
		return engineioEcho(), nil
	case "server", "bench-app":
		return socketioServer(mode, logger)
	}
	return nil, fmt.Errorf("unknown mode %q", mode)
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
