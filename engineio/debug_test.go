package engineio

import (
	"strings"
	"testing"
	"time"

	"github.com/sio-fast/sio-fast/internal/debuglog"
	"github.com/sio-fast/sio-fast/internal/scripttest"
)

// TestDebugScopes: with SIO_DEBUG=loop,http,engine (set with Enable) a
// polling session's connection, requests and life (open, close with its
// reason) are recorded with the session id.
func TestDebugScopes(t *testing.T) {
	var w scripttest.LockedBuffer
	restore, err := debuglog.Capture(&w, "loop,http,engine")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(restore)
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
