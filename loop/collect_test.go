package loop

import (
	"net"
	"sync/atomic"
	"testing"
	"time"
)

// testCollector is a burstCollector with the production thresholds whose
// collections are counted instead of run.
func testCollector(count *atomic.Int64) *burstCollector {
	b := newBurstCollector()
	b.collect = func() { count.Add(1) }
	return b
}

// waitCollections waits until b finished want collections in all.
func waitCollections(t *testing.T, b *burstCollector, want uint64) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for b.done.Load() < want {
		if time.Now().After(deadline) {
			t.Fatalf("%d collections finished, want %d", b.done.Load(), want)
		}
		time.Sleep(time.Millisecond)
	}
}

// ticks drives a burstCollector's clock in ticks of 50 ms.
type ticks struct {
	b      *burstCollector
	opened uint64
	now    time.Time
}

func newTicks(b *burstCollector) *ticks {
	tk := &ticks{b: b, now: time.Unix(1000, 0)}
	b.observe(0, tk.now)
	return tk
}

// run moves n ticks on, with add connections opened in each.
func (tk *ticks) run(n int, add uint64) {
	for range n {
		tk.opened += add
		tk.now = tk.now.Add(50 * time.Millisecond)
		tk.b.observe(tk.opened, tk.now)
	}
}

func TestBurstCollectorCollectsOnceWhenABurstEnds(t *testing.T) {
	var n atomic.Int64
	b := testCollector(&n)
	tk := newTicks(b)
	tk.run(40, 100) // 2 s of ramp, 100 connections a tick
	if n.Load() != 0 || b.running.Load() {
		t.Fatal("collected during the ramp")
	}
	tk.run(20, 0) // 1 s quiet
	waitCollections(t, b, 1)
	tk.run(100, 0) // 5 s more of quiet: nothing new to collect
	if got := n.Load(); got != 1 {
		t.Fatalf("%d collections after one burst, want 1", got)
	}
}

func TestBurstCollectorLeavesSteadyChurnToGo(t *testing.T) {
	var n atomic.Int64
	tk := newTicks(testCollector(&n))
	tk.run(2000, 2) // 100 s of 40 connections a second: never quiet
	if got := n.Load(); got != 0 {
		t.Fatalf("%d collections under steady churn, want 0", got)
	}
}

func TestBurstCollectorIgnoresSmallBursts(t *testing.T) {
	var n atomic.Int64
	tk := newTicks(testCollector(&n))
	tk.run(1, collectMinBurst-1)
	tk.run(40, 0)
	if got := n.Load(); got != 0 {
		t.Fatalf("%d collections after %d connections, want 0", got, collectMinBurst-1)
	}
}

func TestBurstCollectorKeepsItsGap(t *testing.T) {
	var n atomic.Int64
	b := testCollector(&n)
	tk := newTicks(b)
	tk.run(1, 5000)
	tk.run(40, 0) // 2 s quiet
	waitCollections(t, b, 1)
	tk.run(1, 5000)
	tk.run(40, 0) // within collectMinGap of the first
	if got := n.Load(); got != 1 {
		t.Fatalf("%d collections 2 s apart, want 1", got)
	}
	tk.run(int(collectMinGap/(50*time.Millisecond)), 0) // the second burst is still owed one
	waitCollections(t, b, 2)
}

// TestServerCollectsAfterABurst opens a burst of real connections and
// checks that the ticker collects once they stop coming, and that
// WithBurstCollect(false) turns it off.
func TestServerCollectsAfterABurst(t *testing.T) {
	for _, on := range []bool{true, false} {
		var n atomic.Int64
		b := testCollector(&n)
		b.minBurst, b.quiet = 20, 100*time.Millisecond
		opts := []Option{WithTickInterval(10 * time.Millisecond), func(o *options) { o.collector = b }}
		if !on {
			opts = append(opts, WithBurstCollect(false))
		}
		s := startServer(t, &funcHandler{}, opts...)
		var conns []net.Conn
		for range 30 {
			nc, err := net.Dial("tcp", s.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			conns = append(conns, nc)
		}
		if on {
			waitCollections(t, b, 1)
		} else {
			time.Sleep(500 * time.Millisecond)
			if got := n.Load(); got != 0 {
				t.Fatalf("WithBurstCollect(false): %d collections", got)
			}
		}
		if got, _ := s.BurstCollections(); got != uint64(n.Load()) {
			t.Fatalf("BurstCollections() = %d, %d collections ran", got, n.Load())
		}
		for _, nc := range conns {
			_ = nc.Close()
		}
	}
}
