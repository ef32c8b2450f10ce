package loop

import "math"

// Ticks only when a loop needs them.
//
// The ticker used to hand every loop a tick every interval (50 ms), whether
// or not anything was due. Each of those ticks wakes the loop out of gnet's
// blocking epoll_wait, and a loop that slept there for more than 10 ms has
// had its P taken back by the runtime's sysmon, which then restarts its
// 20 µs naps: about fifty nanosleep wake-ups per tick, a thousand a second,
// some 9 % of the server's CPU at one broadcast a second to 10,000 polling
// clients (docs/benchmarks.md, "Ticks only when needed").
//
// So each loop publishes the first tick at which it has work (tickFrom) and
// the ticker skips it until then. The work a tick does is the coarse slots of
// the timing wheel, the connections closing after a flush and the backlogged
// ones (write-stall checks). The loop recomputes tickFrom after each tick and
// wake-up (planTicks) and lowers it when it arms a timer for an earlier tick
// or starts watching a closing or backlogged connection (needTickAt). Fine
// timers (due within the current tick) have their own runtime wake-up
// (armWake), so they never need a tick, except with a single fine slot.
//
// A wheel whose ticks were skipped lags the clock; catchUp moves it forward
// before a timer is armed, so a timer due within the current tick still goes
// to the fine level and fires within the timer precision. Moving is safe
// because the slots it passes are empty: the loop skipped them only because
// they were.

// tickNever is tickFrom when the loop has nothing for the ticker.
const tickNever = math.MaxInt64

// planTicks publishes the first tick this loop needs after the one its wheel
// has reached. Loop goroutine only.
func (l *Loop) planTicks() {
	if len(l.closing) > 0 || len(l.backlogged) > 0 {
		l.setTickNeed(l.wheel.now + 1)
		return
	}
	l.setTickNeed(l.wheel.nextBusyTick())
}

// needTickAt makes sure the ticker hands this loop tick n. Loop goroutine
// only; it stores to the atomic only when n is earlier than what is
// published, so arming later timers costs one comparison.
func (l *Loop) needTickAt(n int64) {
	if n < l.tickNeed {
		l.setTickNeed(n)
	}
}

// needNextTick makes sure the ticker hands this loop its next tick: a
// closing or backlogged connection, or a timer in a single fine slot, is
// watched at every tick. Loop goroutine only.
func (l *Loop) needNextTick() { l.needTickAt(l.wheel.now + 1) }

// needTickFor is needTickAt for a timer's deadline; deadlines at or after
// the planned tick cost no division.
func (l *Loop) needTickFor(when int64) {
	if when < l.tickNeedAt {
		l.needTickAt(when / l.wheel.tick)
	}
}

func (l *Loop) setTickNeed(n int64) {
	l.tickNeed = n
	l.tickNeedAt = math.MaxInt64
	if n < math.MaxInt64/l.wheel.tick {
		l.tickNeedAt = n * l.wheel.tick
	}
	l.tickFrom.Store(n)
}

// needsTick reports whether the ticker should hand this loop tick n. Ticker
// goroutine.
func (l *Loop) needsTick(n int64) bool { return n >= l.tickFrom.Load() }

// nextBusyTick returns the first tick after now whose coarse slot holds a
// timer (of this or of a later revolution), now+1 when the fine level needs
// the next tick to fire (a single fine slot has no wake-up of its own), or
// tickNever when no timer is armed.
func (w *wheel) nextBusyTick() int64 {
	if w.count == 0 {
		return tickNever
	}
	if len(w.fine) == 1 && w.fine[0] != nil {
		return w.now + 1
	}
	for i := int64(1); i <= wheelSlots; i++ {
		if w.slots[(w.now+i)&(wheelSlots-1)] != nil {
			return w.now + i
		}
	}
	// Every armed timer is in the fine level, which wakes itself.
	return tickNever
}

// catchUp moves a wheel that lags the clock (its loop skipped ticks) to the
// clock's tick, when nothing lies in between: the coarse slots it passes are
// empty (they come before the first tick the loop asked for) and so is the
// fine level (whose timers belong to the tick it leaves). Otherwise the wheel
// stays and the tick or wake-up already due moves it. Loop goroutine only.
func (l *Loop) catchUp(clock int64) {
	w := &l.wheel
	if clock < (w.now+1)*w.tick { // not behind: the common case, no division
		return
	}
	to := clock / w.tick
	if to >= l.tickNeed || !w.fineEmpty() {
		return
	}
	w.now = to
}

func (w *wheel) fineEmpty() bool {
	for _, t := range w.fine {
		if t != nil {
			return false
		}
	}
	return true
}
