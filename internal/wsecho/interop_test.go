package wsecho

import (
	"testing"
	"time"

	"github.com/sio-fast/sio-fast/internal/looptest"
	"github.com/sio-fast/sio-fast/internal/scripttest"

	"github.com/sio-fast/sio-fast/loop"
)

func startEcho(t *testing.T) *loop.Server { return looptest.Serve(t, &Handler{}) }

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
