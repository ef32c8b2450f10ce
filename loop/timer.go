package loop

import "time"

// Timer is an intrusive entry of a loop's timing wheel. Embed it in
// per-connection state: arming and stopping it allocates nothing, and a
// million armed timers cost a million list nodes, not a million runtime
// timers or goroutines.
//
// A Timer belongs to the loop it was armed on. Arm, Stop and Armed are loop
// goroutine only (the loop that owns the timer). The callback runs on that
// loop.
type Timer struct {
	fire       func()
	when       int64 // tick at or after which the timer fires
	prev, next *Timer
	wheel      *wheel
}

// NewTimer returns a Timer that calls fn when it fires. The Timer may also be
// a zero value initialised with Init (to embed it without allocating).
func NewTimer(fn func()) *Timer { return &Timer{fire: fn} }

// Init sets the callback of an embedded Timer. Call it before the first Arm.
func (t *Timer) Init(fn func()) { t.fire = fn }

// Armed reports whether the timer is waiting to fire. Loop goroutine only.
func (t *Timer) Armed() bool { return t.wheel != nil }

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

// wheel is a hashed timing wheel driven by the loop's tick count. Each slot
// holds a doubly linked list of timers whose deadline falls on it modulo the
// number of slots.
type wheel struct {
	now   int64
	tick  time.Duration
	slots [wheelSlots]*Timer
	count int
	// firing guards against a callback that re-arms its own timer for the
	// current tick: such a timer lands in a later visit, never an endless loop.
	firing []*Timer
}

// ticksFor converts d to ticks, rounded up, plus one: the current tick is
// already partly over, and a timer must never fire before d has passed
// (tick n covers the clock interval [n, n+1) ticks after the start).
func (w *wheel) ticksFor(d time.Duration) int64 {
	return int64((d+w.tick-1)/w.tick) + 1
}

// add arms t for d after tick `base`, the tick the clock is in now (never
// before the wheel's own position).
func (w *wheel) add(t *Timer, d time.Duration, base int64) {
	if t.wheel != nil {
		t.wheel.remove(t)
	}
	t.when = max(base, w.now) + w.ticksFor(d)
	s := &w.slots[t.when&(wheelSlots-1)]
	t.prev, t.next = nil, *s
	if *s != nil {
		(*s).prev = t
	}
	*s = t
	t.wheel = w
	w.count++
}

func (w *wheel) remove(t *Timer) {
	if t.prev != nil {
		t.prev.next = t.next
	} else {
		s := &w.slots[t.when&(wheelSlots-1)]
		*s = t.next
	}
	if t.next != nil {
		t.next.prev = t.prev
	}
	t.prev, t.next, t.wheel = nil, nil, nil
	w.count--
}

// advance moves the wheel up to tick `to`, firing every due timer through run
// (which recovers panics). Slots are visited once each even when many ticks
// were missed, so a stalled loop catches up in bounded time.
func (w *wheel) advance(to int64, run func(*Timer)) {
	if to <= w.now {
		return
	}
	from := w.now + 1
	if to-from >= wheelSlots {
		from = to - wheelSlots + 1
	}
	w.now = to
	for tick := from; tick <= to; tick++ {
		w.firing = w.firing[:0]
		for t := w.slots[tick&(wheelSlots-1)]; t != nil; t = t.next {
			if t.when <= to {
				w.firing = append(w.firing, t)
			}
		}
		for i, t := range w.firing {
			w.firing[i] = nil
			if t.wheel == w && t.when <= to {
				w.remove(t)
				run(t)
			}
		}
	}
}
