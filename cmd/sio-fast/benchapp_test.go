package main

import (
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/sio-fast/sio-fast/internal/looptest"
	"github.com/sio-fast/sio-fast/internal/scripttest"
	"github.com/sio-fast/sio-fast/standalone"
)

// TestBenchAppEchoesBinary: the bench app's "echo" answers with its
// arguments as received, binary attachments included (it used to send the
// placeholders without the bytes), checked with npm socket.io-client 4.8
// (the socketio interop package's client).
func TestBenchAppEchoesBinary(t *testing.T) {
	const clientDir = "../../socketio/interop"
	scripttest.NeedNode(t, clientDir)
	cfg, _, err := standalone.Load([]string{"-mode", "bench-app"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	h := newHandler(t, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	url := looptest.URL(looptest.Serve(t, h))
	scripttest.RunCases(t, 60*time.Second, []string{"bench-echo-binary"}, clientDir, "node", "args.js", url, "bench-echo")
}
