package loop

import (
	"slices"
	"sync/atomic"
	"testing"
	"time"
)

const ms = int64(time.Millisecond)

func newTestWheel() *wheel {
	w := &wheel{}
	w.init(10*time.Millisecond, time.Millisecond, 0)
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
	run := func(t *Timer) { t.run() }
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
	w.advance(10*ms, func(t *Timer) { t.run() })
	if w.nextWake() == 0 {
		t.Fatal("timer not in the fine level")
	}
	tm.Stop()
	if w.nextWake() != 0 || w.count != 0 {
		t.Fatal("stop left the timer in the wheel")
	}
	w.advance(30*ms, func(t *Timer) { t.run() })
}

func TestWheelCatchesUpAfterStall(t *testing.T) {
	w := newTestWheel()
	n := 0
	ts := make([]Timer, 3000)
	for i := range ts {
		ts[i].Init(func() { n++ })
		w.add(&ts[i], int64(i)*10*ms+3*ms)
	}
	w.advance(50000*ms, func(t *Timer) { t.run() }) // one jump over many revolutions
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
		w.advance(clock, func(t *Timer) { t.run() })
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
	w.advance(5*ms, func(t *Timer) { t.run() })
	if n != 1 {
		t.Fatalf("fired %d times in one advance", n)
	}
	w.advance(6*ms, func(t *Timer) { t.run() })
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

// Due and FireIfDue see a deadline as soon as the clock passes it, before
// the wheel fires the timer: Memory's clock is moved here without a Tick.
func TestDueBeforeTheWheelFires(t *testing.T) {
	m := NewMemory(&funcHandler{})
	defer m.Close()
	l := m.Loop()
	fired := 0
	tm := NewTimer(func() { fired++ })
	m.do(func() { l.Arm(tm, 100*time.Millisecond) })
	m.srv.virtual.Add(int64(99 * time.Millisecond))
	m.do(func() {
		if l.Due(tm) || l.FireIfDue(tm) {
			t.Error("due before its deadline")
		}
	})
	m.srv.virtual.Add(int64(time.Millisecond))
	m.do(func() {
		if !l.Due(tm) {
			t.Error("not due at its deadline")
		}
		if !l.FireIfDue(tm) || fired != 1 || tm.Armed() {
			t.Errorf("FireIfDue: fired %d, armed %v", fired, tm.Armed())
		}
		if l.Due(tm) || l.FireIfDue(tm) {
			t.Error("a fired timer is still due")
		}
	})
	m.Tick(time.Second)
	if fired != 1 {
		t.Fatalf("fired %d times", fired)
	}
}

// On a live loop, timers fire near their deadline, not at the next coarse
// tick: with a 200 ms tick, the median lateness of timers spread over two
// ticks stays far below the tick (a wheel firing at its ticks only would be
// 100 ms late on average and up to 200 ms). The margin is wide so that a
// loaded machine cannot fail it; the precision itself is measured by
// BenchmarkTimerLateness.
func TestLoopTimersFireBetweenTicks(t *testing.T) {
	box := newConnBox()
	s := startServer(t, &funcHandler{open: box.add}, WithTickInterval(200*time.Millisecond))
	dial(t, s)
	c := box.next(t)
	late := measureLateness(c.Loop(), 20, 20*time.Millisecond)
	slices.Sort(late)
	for _, d := range late {
		if d < 0 {
			t.Fatalf("a timer fired %v early", -d)
		}
	}
	if med := late[len(late)/2]; med > 60*time.Millisecond {
		t.Fatalf("median lateness %v with a 200 ms tick (all: %v)", med, late)
	}
}

// measureLateness arms n timers on l, the i-th for (i+1)*step, and returns
// how late each fired.
func measureLateness(l *Loop, n int, step time.Duration) []time.Duration {
	late := make([]time.Duration, n)
	done := make(chan struct{}, n)
	l.Execute(func() {
		start := time.Now()
		for i := range n {
			d := time.Duration(i+1) * step
			l.Arm(NewTimer(func() {
				late[i] = time.Since(start) - d
				done <- struct{}{}
			}), d)
		}
	})
	for range n {
		<-done
	}
	return late
}

// A precision at or above the tick leaves a single fine slot and no
// wake-ups: timers fire at the ticks, never early.
func TestWheelCoarsePrecisionHasNoWakeups(t *testing.T) {
	w := &wheel{}
	w.init(10*time.Millisecond, 10*time.Millisecond, 0)
	fired := 0
	var tm Timer
	tm.Init(func() { fired++ })
	w.add(&tm, 3*ms)
	if next := w.nextWake(); next != 0 {
		t.Fatalf("wake-up at %v", next)
	}
	w.advance(2*ms, func(t *Timer) { t.run() })
	if fired != 0 {
		t.Fatal("fired early")
	}
	w.advance(10*ms, func(t *Timer) { t.run() })
	if fired != 1 {
		t.Fatalf("fired %d at the next tick", fired)
	}
}
