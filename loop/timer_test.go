package loop

import (
	"sync/atomic"
	"testing"
	"time"
)

func newTestWheel() *wheel { return &wheel{tick: 10 * time.Millisecond} }

func TestWheelFiresAtDeadline(t *testing.T) {
	w := newTestWheel()
	var fired []int
	timers := make([]Timer, 5)
	for i := range timers {
		timers[i].Init(func() { fired = append(fired, i) })
	}
	// Deadlines round up and add one tick (the current one is partly over).
	w.add(&timers[0], 20*time.Millisecond, 0) // tick 3
	w.add(&timers[1], 10*time.Millisecond, 0) // tick 2
	w.add(&timers[2], 1*time.Millisecond, 0)  // rounds up to tick 2
	w.add(&timers[3], 20470*time.Millisecond, 0)
	w.add(&timers[4], 50*time.Millisecond, 0)
	timers[4].Stop()
	run := func(t *Timer) { t.fire() }
	w.advance(1, run)
	if len(fired) != 0 {
		t.Fatalf("after tick 1 fired %v", fired)
	}
	w.advance(2, run)
	if len(fired) != 2 {
		t.Fatalf("after tick 2 fired %v", fired)
	}
	w.advance(3, run)
	if len(fired) != 3 || fired[2] != 0 {
		t.Fatalf("after tick 3 fired %v", fired)
	}
	// 2048 ticks is two revolutions: the timer must survive slot visits
	// before its round.
	w.advance(2047, run)
	if len(fired) != 3 {
		t.Fatalf("long timer fired early: %v", fired)
	}
	w.advance(2048, run)
	if len(fired) != 4 || fired[3] != 3 {
		t.Fatalf("long timer: %v", fired)
	}
	if w.count != 0 {
		t.Fatalf("wheel still holds %d timers", w.count)
	}
}

func TestWheelCatchesUpAfterStall(t *testing.T) {
	w := newTestWheel()
	n := 0
	ts := make([]Timer, 3000)
	for i := range ts {
		ts[i].Init(func() { n++ })
		w.add(&ts[i], time.Duration(i)*10*time.Millisecond, 0)
	}
	w.advance(5000, func(t *Timer) { t.fire() }) // one jump over many revolutions
	if n != len(ts) {
		t.Fatalf("fired %d of %d", n, len(ts))
	}
}

func TestWheelRearmInCallback(t *testing.T) {
	w := newTestWheel()
	var tm Timer
	n := 0
	tm.Init(func() {
		n++
		if n < 3 {
			w.add(&tm, 10*time.Millisecond, 0)
		}
	})
	w.add(&tm, 10*time.Millisecond, 0)
	for tick := int64(1); tick <= 20; tick++ {
		w.advance(tick, func(t *Timer) { t.fire() })
	}
	if n != 3 {
		t.Fatalf("fired %d times, want 3", n)
	}
}

// Timers armed on a live loop fire on the loop goroutine, near their time.
func TestLoopTimers(t *testing.T) {
	box := newConnBox()
	s := startServer(t, &funcHandler{open: box.add}, WithTickInterval(10*time.Millisecond))
	dial(t, s)
	c := box.next(t)
	var fired atomic.Int64
	start := time.Now()
	done := make(chan time.Duration, 1)
	c.Loop().Execute(func() {
		tm := NewTimer(func() {
			fired.Add(1)
			done <- time.Since(start)
		})
		c.Loop().Arm(tm, 100*time.Millisecond)
		stopped := NewTimer(func() { t.Error("stopped timer fired") })
		c.Loop().Arm(stopped, 50*time.Millisecond)
		stopped.Stop()
	})
	select {
	case d := <-done:
		if d < 100*time.Millisecond {
			t.Fatalf("fired early after %v", d)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("timer never fired")
	}
	time.Sleep(100 * time.Millisecond)
	if fired.Load() != 1 {
		t.Fatalf("fired %d times", fired.Load())
	}
}
