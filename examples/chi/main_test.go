package main

import (
	"testing"

	"github.com/sio-fast/sio-fast/examples/internal/exampletest"
)

func TestWithSocketIOClient(t *testing.T) {
	h, eng := newHandler()
	exampletest.Run(t, h, eng, false)
}
