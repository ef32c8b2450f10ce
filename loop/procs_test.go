package loop

import (
	"runtime"
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
