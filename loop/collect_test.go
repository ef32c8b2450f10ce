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

func TestBurstCollectorCollectsOnceWhenABurstEnds(t *testing.T) {
	var n atomic.Int64
	b := testCollector(&n)
	t0 := time.Unix(1000, 0)
	tick := 50 * time.Millisecond
	opened := uint64(0)
	now := t0
	step := func(add uint64) {
		opened += add
		now = now.Add(tick)
		b.observe(opened, now)
	}
	step(0)
	for range 40 { // 2 s of ramp, 100 connections a tick
		step(100)
	}
	if n.Load() != 0 || b.running.Load() {
		t.Fatal("collected during the ramp")
	}
	for range 20 { // 1 s quiet
		step(0)
	}
	waitCollections(t, b, 1)
	for range 100 { // 5 s more of quiet: nothing new to collect
		step(0)
	}
	if got := n.Load(); got != 1 {
		t.Fatalf("%d collections after one burst, want 1", got)
	}
}

func TestBurstCollectorLeavesSteadyChurnToGo(t *testing.T) {
	var n atomic.Int64
	b := testCollector(&n)
	now := time.Unix(1000, 0)
	opened := uint64(0)
	for range 2000 { // 100 s of 2 connections a tick (40/s): never quiet
		opened += 2
		now = now.Add(50 * time.Millisecond)
		b.observe(opened, now)
	}
	if got := n.Load(); got != 0 {
		t.Fatalf("%d collections under steady churn, want 0", got)
	}
}

func TestBurstCollectorIgnoresSmallBursts(t *testing.T) {
	var n atomic.Int64
	b := testCollector(&n)
	now := time.Unix(1000, 0)
	b.observe(0, now)
	now = now.Add(100 * time.Millisecond)
	b.observe(collectMinBurst-1, now)
	for range 40 {
		now = now.Add(50 * time.Millisecond)
		b.observe(collectMinBurst-1, now)
	}
	if got := n.Load(); got != 0 {
		t.Fatalf("%d collections after %d connections, want 0", got, collectMinBurst-1)
	}
}

func TestBurstCollectorKeepsItsGap(t *testing.T) {
	var n atomic.Int64
	b := testCollector(&n)
	now := time.Unix(1000, 0)
	opened := uint64(0)
	burstThenQuiet := func(quiet time.Duration) {
		opened += 5000
		now = now.Add(50 * time.Millisecond)
		b.observe(opened, now)
		for end := now.Add(quiet); now.Before(end); {
			now = now.Add(50 * time.Millisecond)
			b.observe(opened, now)
		}
	}
	b.observe(0, now)
	burstThenQuiet(2 * time.Second)
	waitCollections(t, b, 1)
	burstThenQuiet(2 * time.Second) // within collectMinGap of the first
	if got := n.Load(); got != 1 {
		t.Fatalf("%d collections %v apart, want 1", got, 2*time.Second)
	}
	burstThenQuiet(collectMinGap) // the second burst is still owed one
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
		for _, nc := range conns {
			_ = nc.Close()
		}
	}
}
