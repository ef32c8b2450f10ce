package wsecho

import (
	"context"
	"github.com/sio-fast/sio-fast/internal/scripttest"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/sio-fast/sio-fast/loop"
)

func startEcho(t *testing.T) *loop.Server {
	t.Helper()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	s, err := loop.Serve("127.0.0.1:0", &Handler{}, loop.WithNumLoops(2), loop.WithLogger(quiet))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = s.Shutdown(ctx)
	})
	return s
}

// TestInteropNodeWS drives the server with the npm ws client: text,
// binary, fragmented with a ping in between, large, over-limit (1009),
// ping/pong, close codes and ordering.
func TestInteropNodeWS(t *testing.T) {
	scripttest.NeedNode(t, "interop")
	s := startEcho(t)
	scripttest.RunCases(t, 60*time.Second,
		[]string{"text", "binary", "fragmented", "large", "too-large", "ping", "close-code", "many-messages-in-order"},
		".", "node", "interop/client.js", "ws://"+s.Addr().String()+"/")
}
