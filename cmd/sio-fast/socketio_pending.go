package main

import (
	"log/slog"

	"github.com/sio-fast/sio-fast/loop"
)

func socketioServer(mode string, logger *slog.Logger) (loop.Handler, error) {
	return engineioEcho(), nil
}
