package engineio

import (
	"slices"
	"testing"
	"time"

	"github.com/sio-fast/sio-fast/internal/looptest"
)

// BenchmarkPingLateness measures, on loops with the default 50 ms tick, how
// long after pingInterval (100 ms here) following the client's pong the next
// ping reaches a WebSocket client: p50 and max in µs, ten rounds per
// iteration. Node's timers send it within a millisecond or so.
func BenchmarkPingLateness(b *testing.B) {
	cfg := Config{PingInterval: 100 * time.Millisecond, PingTimeout: time.Second}
	srv := NewServer(cfg)
	srv.OnConnection(echo)
	base := looptest.URL(looptest.Serve(b, srv))
	w, _ := dialWSOpen(b, base, wsQuery)
	if got := w.readText(b); got != "2" {
		b.Fatalf("%q, want ping", got)
	}
	var late []time.Duration
	for b.Loop() {
		for range 10 {
			ponged := time.Now()
			w.sendText(b, "3")
			if got := w.readText(b); got != "2" {
				b.Fatalf("%q, want ping", got)
			}
			late = append(late, time.Since(ponged)-cfg.PingInterval)
		}
	}
	slices.Sort(late)
	b.ReportMetric(float64(late[len(late)/2].Microseconds()), "p50-late-µs")
	b.ReportMetric(float64(late[len(late)-1].Microseconds()), "max-late-µs")
}
