package loop

import (
	"context"
	"net"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestBurstOfConnectionsEnrolledConcurrently dials more connections at once
// than the enrolling semaphore holds: every one must open, and Shutdown must
// leave no enrolling goroutine behind.
func TestBurstOfConnectionsEnrolledConcurrently(t *testing.T) {
	const n = 3 * maxEnrolling
	before := runtime.NumGoroutine()
	var opened atomic.Int64
	s, err := Serve("127.0.0.1:0", &funcHandler{open: func(*Conn) { opened.Add(1) }}, WithNumLoops(2))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	conns := make([]net.Conn, n)
	for i := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := net.DialTimeout("tcp", s.Addr().String(), 5*time.Second)
			if err != nil {
				t.Error(err)
				return
			}
			conns[i] = c
		}()
	}
	wg.Wait()
	deadline := time.Now().Add(5 * time.Second)
	for opened.Load() < n && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if got := opened.Load(); got != n {
		t.Fatalf("%d of %d connections opened", got, n)
	}
	for _, c := range conns {
		if c != nil {
			c.Close()
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	deadline = time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before+2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if g := runtime.NumGoroutine(); g > before+2 {
		t.Fatalf("%d goroutines after Shutdown, %d before Serve", g, before)
	}
}
