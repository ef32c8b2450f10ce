package engineio

import (
	"bytes"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sio-fast/sio-fast/internal/debuglog"
)

// syncBuffer is a bytes.Buffer safe for the loops and the test.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (w *syncBuffer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.Write(p)
}

func (w *syncBuffer) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// TestDebugScopes: with SIO_DEBUG=loop,http,engine (set with Enable) a
// polling session's connection, requests and life (open, close with its
// reason) are recorded with the session id.
func TestDebugScopes(t *testing.T) {
	var w syncBuffer
	debuglog.SetLogger(slog.New(slog.NewTextHandler(&w, &slog.HandlerOptions{Level: slog.LevelDebug})))
	if err := debuglog.Enable("loop,http,engine"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { debuglog.SetLogger(nil); _ = debuglog.Enable("") })
	closed := newCloseLog()
	_, base := startServer(t, suiteConfig(), closed.attach)
	sid := handshakePolling(t, base, "/engine.io/")
	if code, _, _ := httpDo(t, "POST", base+"/engine.io/?EIO=4&transport=polling&sid="+sid, "1"); code != 200 {
		t.Fatalf("close POST: %d", code)
	}
	closed.next(t, 2*time.Second)
	out := w.String()
	for _, want := range []string{
		"msg=open scope=loop remote=127.0.0.1:",
		"msg=request scope=http method=GET target=\"/engine.io/?EIO=4&transport=polling\"",
		"msg=open scope=engine sid=" + sid + " transport=polling protocol=4",
		"msg=close scope=engine sid=" + sid + " transport=polling reason=\"transport close\"",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in:\n%s", want, out)
		}
	}
}
