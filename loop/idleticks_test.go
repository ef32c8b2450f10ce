package loop

import (
	"io"
	"slices"
	"testing"
	"time"
)

// nextBusyTick finds the first coarse slot with a timer, of this revolution
// or a later one, and nothing when no timer is armed.
func TestWheelNextBusyTick(t *testing.T) {
	w := newTestWheel() // 10 ms ticks, 1 ms precision, at tick 0
	if got := w.nextBusyTick(); got != tickNever {
		t.Fatalf("empty wheel: %d", got)
	}
	var near, far, fine Timer
	w.add(&far, (wheelSlots+3)*10*ms) // a later revolution: slot 3
	if got := w.nextBusyTick(); got != 3 {
		t.Fatalf("later revolution: tick %d, want the visit of its slot (3)", got)
	}
	w.add(&near, 25*ms)
	if got := w.nextBusyTick(); got != 2 {
		t.Fatalf("tick %d, want 2", got)
	}
	w.remove(&near)
	w.remove(&far)
	w.add(&fine, 5*ms) // the fine level wakes itself
	if got := w.nextBusyTick(); got != tickNever {
		t.Fatalf("fine timer only: tick %d", got)
	}

	coarse := &wheel{}
	coarse.init(10*time.Millisecond, 10*time.Millisecond, 0) // one fine slot: no wake-ups
	coarse.add(&Timer{}, 5*ms)
	if got := coarse.nextBusyTick(); got != 1 {
		t.Fatalf("single fine slot: tick %d, want the next tick", got)
	}
}

// The loop asks for the next tick when it starts watching a closing or
// backlogged connection, and for a timer's tick when it arms one earlier
// than planned.
func TestLoopAsksForTicks(t *testing.T) {
	l := newTestLoop()
	l.planTicks()
	if !l.needsTick(tickNever) || l.needsTick(1<<40) {
		t.Fatalf("idle loop: tickFrom %d", l.tickFrom.Load())
	}
	var tm Timer
	tm.Init(func() {})
	l.ArmAt(&tm, 3*int64(l.srv.opts.tick)+1)
	if l.needsTick(2) || !l.needsTick(3) {
		t.Fatalf("timer at tick 3: tickFrom %d", l.tickFrom.Load())
	}
	l.markBacklogged(&Conn{loop: l, t: &nopTransport{}})
	if !l.needsTick(1) {
		t.Fatalf("backlogged: tickFrom %d", l.tickFrom.Load())
	}
}

// A loop with nothing due is not woken by the ticker; a timer armed on it
// still fires, not early.
func TestIdleLoopSkipsTicks(t *testing.T) {
	box := newConnBox()
	s := startServer(t, &funcHandler{open: box.add}, WithTickInterval(10*time.Millisecond))
	dial(t, s)
	l := box.next(t).Loop()
	time.Sleep(50 * time.Millisecond) // a first tick plans the next ones
	before := l.Stats().Ticks
	time.Sleep(300 * time.Millisecond)
	if n := l.Stats().Ticks - before; n > 2 {
		t.Fatalf("an idle loop ran %d ticks of 10 ms in 300 ms", n)
	}
	start := time.Now()
	done := make(chan time.Duration, 1)
	l.Execute(func() { l.Arm(NewTimer(func() { done <- time.Since(start) }), 100*time.Millisecond) })
	select {
	case d := <-done:
		if d < 100*time.Millisecond {
			t.Fatalf("fired early after %v", d)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a timer armed on an idle loop never fired")
	}
}

// With a precision at or above the tick (a single fine slot, no wake-ups),
// a timer armed within the current tick on an idle loop gets the next tick.
func TestIdleLoopCoarsePrecisionTimerFires(t *testing.T) {
	box := newConnBox()
	s := startServer(t, &funcHandler{open: box.add},
		WithTickInterval(10*time.Millisecond), WithTimerPrecision(10*time.Millisecond))
	dial(t, s)
	l := box.next(t).Loop()
	for range 5 {
		time.Sleep(30 * time.Millisecond) // idle: ticks skipped
		done := make(chan struct{})
		l.Execute(func() { l.Arm(NewTimer(func() { close(done) }), time.Millisecond) })
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatal("a timer in the single fine slot of an idle loop never fired")
		}
	}
}

// After ticks were skipped, a timer armed for within the current tick still
// goes to the fine level: with a 200 ms tick the median lateness stays far
// below the tick. Without catchUp, every timer of the current tick would
// wait for the next one. The margin is as wide as TestLoopTimersFireBetweenTicks'.
func TestTimersAfterIdleFireBetweenTicks(t *testing.T) {
	box := newConnBox()
	s := startServer(t, &funcHandler{open: box.add}, WithTickInterval(200*time.Millisecond))
	dial(t, s)
	l := box.next(t).Loop()
	for range 3 {
		time.Sleep(450 * time.Millisecond) // two ticks skipped: the wheel lags
		late := measureLateness(l, 10, 15*time.Millisecond)
		slices.Sort(late)
		if late[0] < 0 {
			t.Fatalf("a timer fired %v early", -late[0])
		}
		if med := late[len(late)/2]; med > 60*time.Millisecond {
			t.Fatalf("median lateness %v after an idle spell, 200 ms tick (all: %v)", med, late)
		}
	}
}

// A connection closing after its flush is watched at the ticks (the grace
// period's hard close) even on a loop that has nothing else due. Both peers
// keep their side open, so only the grace period can end the connection:
// one has read everything (the server's socket is only closing), the other
// reads nothing (it is backlogged too).
func TestClosingConnKeepsTicks(t *testing.T) {
	for _, tc := range []struct {
		name  string
		size  int
		reads bool
	}{{"flushed", 100, true}, {"peer not reading", 1 << 20, false}} {
		t.Run(tc.name, func(t *testing.T) {
			box := newConnBox()
			closed := make(chan error, 1)
			s := startServer(t, &funcHandler{open: box.add, close: func(_ *Conn, err error) { closed <- err }},
				WithTickInterval(10*time.Millisecond), WithCloseGrace(100*time.Millisecond),
				WithWriteStallTimeout(0), WithSocketBuffers(4096, 4096))
			nc := dial(t, s)
			c := box.next(t)
			time.Sleep(50 * time.Millisecond) // the loop is idle: ticks skipped
			c.Loop().Execute(func() {
				_ = c.Write(make([]byte, tc.size))
				c.CloseAfterFlush(nil)
			})
			if tc.reads {
				if n, _ := io.Copy(io.Discard, nc); n != int64(tc.size) {
					t.Fatalf("read %d bytes before the FIN", n)
				}
			}
			select {
			case <-closed:
			case <-time.After(5 * time.Second):
				t.Fatal("the grace period never closed the connection")
			}
		})
	}
}
