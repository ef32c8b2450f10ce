package loop

import "time"

// Timer is an intrusive entry of a loop's timing wheel. Embed it in
// per-connection state: arming and stopping it allocates nothing, and a
// million armed timers cost a million list nodes, not a million runtime
// timers or goroutines.
//
// A Timer belongs to the loop it was armed on. Arm, Stop, Armed and the
// Loop's Due and FireIfDue are loop goroutine only (the loop that owns the
// timer). The callback runs on that loop.
type Timer struct {
	fire       func(*Timer)
	when       int64 // the deadline, in nanoseconds of the server's clock
	prev, next *Timer
	wheel      *wheel
}

// NewTimer returns a Timer that calls fn when it fires. The Timer may also be
// a zero value initialised with Init (to embed it without allocating).
func NewTimer(fn func()) *Timer {
	t := &Timer{}
	t.Init(fn)
	return t
}

// Init sets the callback of an embedded Timer. Call it before the first Arm.
// fn is wrapped, at the cost of an allocation that InitWith avoids.
func (t *Timer) Init(fn func()) { t.fire = func(*Timer) { fn() } }

// InitWith sets the callback of an embedded Timer to fn, which receives the
// Timer. With a top-level function (which finds the Timer's owner from it)
// it costs no allocation, where Init with a method value costs one per
// Timer: one per idle connection for a heartbeat. Call it before the first
// Arm.
func (t *Timer) InitWith(fn func(*Timer)) { t.fire = fn }

// run calls the callback.
func (t *Timer) run() { t.fire(t) }

// Armed reports whether the timer is waiting to fire. Loop goroutine only.
func (t *Timer) Armed() bool { return t.wheel != nil }

// Deadline returns when an armed timer fires, in the server clock's
// nanoseconds, and false when it is not armed. With ArmAt it moves a timer
// to another loop of the same server. Loop goroutine only.
func (t *Timer) Deadline() (int64, bool) { return t.when, t.wheel != nil }

// Stop disarms the timer; it is a no-op when the timer is not armed.
// Loop goroutine only.
func (t *Timer) Stop() {
	if t.wheel != nil {
		t.wheel.remove(t)
	}
}

// wheelSlots is a power of two; with the default 50 ms tick one revolution is
// about 51 s, longer than the default heartbeat, so most timers fire on their
// first visit.
const wheelSlots = 1024

// maxFineSlots bounds the fine wheel of a loop with a long tick.
const maxFineSlots = 1024

// wheel is a hashed timing wheel in two levels. The coarse level is driven
// by the ticker: each slot holds a doubly linked list of the timers whose
// deadline falls in its tick modulo the number of slots. When the wheel
// reaches tick n, the timers due during n move to the fine level, slots of
// the precision (WithTimerPrecision) covering that one tick, and the loop
// wakes itself at the end of each non-empty fine slot (Loop.armWake): a
// timer fires at most one precision after its deadline, and never before
// it, at the cost of one move per timer and at most tick/precision
// wake-ups per tick. Heartbeats need it: a ping is due pingInterval after
// the pong, and three rounds of 300 ms must fit in a 1 s connect timeout,
// as on Node.
type wheel struct {
	tick    int64 // nanoseconds per coarse slot
	now     int64 // the tick reached: coarse slots up to it were visited
	slots   [wheelSlots]*Timer
	fine    []*Timer // timers due during tick now, by fineRes
	fineRes int64
	count   int
	// firing guards against a callback that re-arms its own timer for a
	// slot being visited: such a timer waits for a later visit, never an
	// endless loop.
	firing []*Timer
}

func (w *wheel) init(tick, precision time.Duration, nowTick int64) {
	w.tick = int64(tick)
	w.now = nowTick
	n := min(max((w.tick+int64(precision)-1)/int64(precision), 1), maxFineSlots)
	w.fine = make([]*Timer, n)
	w.fineRes = (w.tick + n - 1) / n
}

// inFine reports whether a timer due at when belongs to the fine level.
func (w *wheel) inFine(when int64) bool { return when/w.tick <= w.now }

// fineIndex returns the fine slot of a deadline in tick now (or before it).
func (w *wheel) fineIndex(when int64) int {
	i := (when - w.now*w.tick) / w.fineRes
	return int(min(max(i, 0), int64(len(w.fine)-1)))
}

func (w *wheel) head(when int64) **Timer {
	if w.inFine(when) {
		return &w.fine[w.fineIndex(when)]
	}
	return &w.slots[(when/w.tick)&(wheelSlots-1)]
}

// add arms t for the clock time when; it reports whether t landed in the
// fine level (the loop may have to wake earlier for it).
func (w *wheel) add(t *Timer, when int64) bool {
	if t.wheel != nil {
		t.wheel.remove(t)
	}
	t.when = when
	w.link(t)
	w.count++
	return w.inFine(when)
}

func (w *wheel) link(t *Timer) {
	s := w.head(t.when)
	t.prev, t.next = nil, *s
	if *s != nil {
		(*s).prev = t
	}
	*s = t
	t.wheel = w
}

func (w *wheel) unlink(t *Timer) {
	if t.prev != nil {
		t.prev.next = t.next
	} else {
		*w.head(t.when) = t.next
	}
	if t.next != nil {
		t.next.prev = t.prev
	}
	t.prev, t.next, t.wheel = nil, nil, nil
}

func (w *wheel) remove(t *Timer) {
	w.unlink(t)
	w.count--
}

// advance moves the wheel to the clock time `clock` (nanoseconds), firing
// every timer due by then through run (which recovers panics). Coarse slots
// are visited once each even when many ticks were missed, so a stalled loop
// catches up in bounded time.
func (w *wheel) advance(clock int64, run func(*Timer)) {
	to := clock / w.tick
	if to > w.now {
		// Everything in the fine level belongs to a tick now over.
		for i := range w.fine {
			w.fireList(&w.fine[i], clock, run)
		}
		from := w.now + 1
		if to-from >= wheelSlots {
			from = to - wheelSlots + 1
		}
		for tick := from; tick < to; tick++ {
			w.fireList(&w.slots[tick&(wheelSlots-1)], clock, run)
		}
		w.now = to
		w.refine()
	}
	last := w.fineIndex(clock)
	for i := 0; i <= last; i++ {
		w.fireList(&w.fine[i], clock, run)
	}
}

// refine moves the timers of the coarse slot of tick now that are due in it
// (or overdue) to the fine level. Timers of later revolutions stay.
func (w *wheel) refine() {
	s := &w.slots[w.now&(wheelSlots-1)]
	for t := *s; t != nil; {
		next := t.next
		if w.inFine(t.when) {
			if t.prev != nil {
				t.prev.next = t.next
			} else {
				*s = t.next
			}
			if t.next != nil {
				t.next.prev = t.prev
			}
			w.link(t)
		}
		t = next
	}
}

// fireList fires the timers of one list that are due at clock.
func (w *wheel) fireList(s **Timer, clock int64, run func(*Timer)) {
	if *s == nil {
		return
	}
	w.firing = w.firing[:0]
	for t := *s; t != nil; t = t.next {
		if t.when <= clock {
			w.firing = append(w.firing, t)
		}
	}
	for i, t := range w.firing {
		w.firing[i] = nil
		// A callback may have stopped or re-armed a later timer of the list.
		if t.wheel == w && t.when <= clock {
			w.remove(t)
			run(t)
		}
	}
}

// nextWake returns when the loop should next advance the wheel for its
// fine level: the end of the first non-empty fine slot, or 0 when the fine
// level is empty or has one slot (the next coarse tick will do).
func (w *wheel) nextWake() int64 {
	if len(w.fine) == 1 {
		return 0
	}
	for i, t := range w.fine {
		if t != nil {
			return w.now*w.tick + int64(i+1)*w.fineRes
		}
	}
	return 0
}
