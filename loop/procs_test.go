package loop

import (
	"log/slog"
	"runtime"
	"strings"
	"sync"
	"testing"
)

func TestServeKeepsAProcessorBesideTheLoops(t *testing.T) {
	prev := runtime.GOMAXPROCS(1)
	t.Cleanup(func() { runtime.GOMAXPROCS(prev) })

	startServer(t, &funcHandler{}, WithNumLoops(1), WithGOMAXPROCSUnchanged())
	if got := runtime.GOMAXPROCS(0); got != 1 {
		t.Fatalf("WithGOMAXPROCSUnchanged: GOMAXPROCS = %d, want 1", got)
	}
	startServer(t, &funcHandler{}, WithNumLoops(1))
	if got := runtime.GOMAXPROCS(0); got != 2 {
		t.Fatalf("GOMAXPROCS = %d after Serve with 1 loop, want 2", got)
	}
	runtime.GOMAXPROCS(8)
	startServer(t, &funcHandler{}, WithNumLoops(2))
	if got := runtime.GOMAXPROCS(0); got != 8 {
		t.Fatalf("GOMAXPROCS lowered to %d; Serve only ever raises it", got)
	}
}

// lockedWriter collects log output written from any goroutine.
type lockedWriter struct {
	mu sync.Mutex
	b  strings.Builder
}

func (w *lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func (w *lockedWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

// TestServeLogsGOMAXPROCSChangeAtDebug: the process-wide change is logged,
// but at Debug, so an application's Info log stays its own.
func TestServeLogsGOMAXPROCSChangeAtDebug(t *testing.T) {
	prev := runtime.GOMAXPROCS(1)
	t.Cleanup(func() { runtime.GOMAXPROCS(prev) })
	var w lockedWriter
	logger := slog.New(slog.NewTextHandler(&w, &slog.HandlerOptions{Level: slog.LevelDebug}))
	startServer(t, &funcHandler{}, WithNumLoops(1), WithLogger(logger))
	out := w.String()
	if !strings.Contains(out, `level=DEBUG msg="loop: GOMAXPROCS raised`) || strings.Contains(out, "level=INFO msg=\"loop: GOMAXPROCS") {
		t.Fatalf("GOMAXPROCS change not logged at Debug only:\n%s", out)
	}
}
