package loop

import (
	"sync/atomic"
	"testing"
	"time"
)

const ms = int64(time.Millisecond)

func newTestWheel() *wheel {
	w := &wheel{}
	w.init(10*time.Millisecond, 0)
	return w
}

// A timer fires once the clock reaches its deadline, never before, whether
// the wheel gets there by coarse ticks or by the fine wake-ups.
func TestWheelFiresAtDeadline(t *testing.T) {
	w := newTestWheel()
	var fired []int
	timers := make([]Timer, 5)
	for i := range timers {
		timers[i].Init(func() { fired = append(fired, i) })
	}
	w.add(&timers[0], 27*ms)
	w.add(&timers[1], 10*ms)
	w.add(&timers[2], 1*ms) // in the current tick: fine level at once
	w.add(&timers[3], 20470*ms)
	w.add(&timers[4], 50*ms)
	timers[4].Stop()
	run := func(t *Timer) { t.fire() }
	w.advance(ms-1, run)
	if len(fired) != 0 {
		t.Fatalf("before 1 ms fired %v", fired)
	}
	w.advance(ms, run)
	if len(fired) != 1 || fired[0] != 2 {
		t.Fatalf("at 1 ms fired %v", fired)
	}
	w.advance(10*ms, run)
	if len(fired) != 2 || fired[1] != 1 {
		t.Fatalf("at 10 ms fired %v", fired)
	}
	w.advance(20*ms, run) // the tick of timer 0: it moves to the fine level
	if len(fired) != 2 {
		t.Fatalf("at 20 ms fired %v", fired)
	}
	if next := w.nextWake(); next != 28*ms {
		t.Fatalf("next wake %v ms, want the end of the fine slot of 27 ms", next/ms)
	}
	w.advance(27*ms-1, run)
	if len(fired) != 2 {
		t.Fatalf("fired early: %v", fired)
	}
	w.advance(27*ms, run)
	if len(fired) != 3 || fired[2] != 0 {
		t.Fatalf("at 27 ms fired %v", fired)
	}
	if next := w.nextWake(); next != 0 {
		t.Fatalf("fine level not empty: next wake %v", next)
	}
	// 20.47 s is two revolutions of 10 ms slots: the timer must survive
	// the visits of its slot before its round.
	w.advance(20469*ms, run)
	if len(fired) != 3 {
		t.Fatalf("long timer fired early: %v", fired)
	}
	w.advance(20470*ms, run)
	if len(fired) != 4 || fired[3] != 3 {
		t.Fatalf("long timer: %v", fired)
	}
	if w.count != 0 {
		t.Fatalf("wheel still holds %d timers", w.count)
	}
}

// A timer stopped after it moved to the fine level never fires and leaves
// the level empty.
func TestWheelStopInFineLevel(t *testing.T) {
	w := newTestWheel()
	var tm Timer
	tm.Init(func() { t.Error("stopped timer fired") })
	w.add(&tm, 15*ms)
	w.advance(10*ms, func(t *Timer) { t.fire() })
	if w.nextWake() == 0 {
		t.Fatal("timer not in the fine level")
	}
	tm.Stop()
	if w.nextWake() != 0 || w.count != 0 {
		t.Fatal("stop left the timer in the wheel")
	}
	w.advance(30*ms, func(t *Timer) { t.fire() })
}

func TestWheelCatchesUpAfterStall(t *testing.T) {
	w := newTestWheel()
	n := 0
	ts := make([]Timer, 3000)
	for i := range ts {
		ts[i].Init(func() { n++ })
		w.add(&ts[i], int64(i)*10*ms+3*ms)
	}
	w.advance(50000*ms, func(t *Timer) { t.fire() }) // one jump over many revolutions
	if n != len(ts) {
		t.Fatalf("fired %d of %d", n, len(ts))
	}
}

func TestWheelRearmInCallback(t *testing.T) {
	w := newTestWheel()
	var tm Timer
	n := 0
	var clock int64
	tm.Init(func() {
		n++
		if n < 3 {
			w.add(&tm, clock+10*ms)
		}
	})
	w.add(&tm, 10*ms)
	for clock = ms; clock <= 200*ms; clock += ms {
		w.advance(clock, func(t *Timer) { t.fire() })
	}
	if n != 3 {
		t.Fatalf("fired %d times, want 3", n)
	}
}

// A callback that re-arms its timer for now is not fired again in the same
// advance: it waits for the next one.
func TestWheelRearmForNowWaits(t *testing.T) {
	w := newTestWheel()
	var tm Timer
	n := 0
	tm.Init(func() {
		n++
		w.add(&tm, 5*ms)
	})
	w.add(&tm, 5*ms)
	w.advance(5*ms, func(t *Timer) { t.fire() })
	if n != 1 {
		t.Fatalf("fired %d times in one advance", n)
	}
	w.advance(6*ms, func(t *Timer) { t.fire() })
	if n != 2 {
		t.Fatalf("fired %d times, want 2", n)
	}
	tm.Stop()
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
