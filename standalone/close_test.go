package standalone

import (
	"context"
	"testing"
	"time"

	"github.com/sio-fast/sio-fast/internal/redistest"
	"github.com/sio-fast/sio-fast/loop"
)

// TestDrainClosesRedis: with each cluster adapter, a drained server
// leaves no adapter or go-redis goroutine behind once Redis is gone (so
// nothing keeps dialing it), as an operator's drained process or an
// embedding service expects.
func TestDrainClosesRedis(t *testing.T) {
	for _, mode := range redisModes {
		t.Run(mode, func(t *testing.T) {
			rs := redistest.Start(t)
			before := redistest.Goroutines(redistest.LeakMatches...)
			cfg := testConfig(t, "-redis", rs.URL(), "-redis-mode", mode)
			cfg.Addr, cfg.API.Addr = "127.0.0.1:0", "127.0.0.1:0"
			srv, err := New(cfg, quietLogger())
			if err != nil {
				t.Fatal(err)
			}
			r, err := Start(srv, cfg, loop.WithLogger(quietLogger()), loop.WithNumLoops(2))
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := srv.SIO.Of("/").Adapter().(interface{ WaitReady(context.Context) error }).WaitReady(ctx); err != nil {
				t.Fatal(err)
			}
			if len(redistest.Goroutines(redistest.LeakMatches...)) == len(before) {
				t.Fatal("no Redis goroutine is running: the check would prove nothing")
			}
			if err := r.Drain(ctx); err != nil {
				t.Fatal(err)
			}
			rs.Kill()
			redistest.WaitGoroutinesGone(t, before, redistest.LeakMatches...)
		})
	}
}
