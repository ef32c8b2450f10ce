package loop

import "sync/atomic"

// Home is the loop a unit of loop-owned state (an Engine.IO session) lives
// on, which may change once it lives elsewhere: Move hands it to another
// loop so that its work runs next to the connection it writes to. Work
// handed to it with Execute runs on its current loop, in the order it was
// handed over, across a move: what was queued on the old loop before the
// move runs on the new one before anything queued there after it.
//
// The hand-over: Move, on the old loop, switches the pointer under the old
// loop's inbox lock and queues a fence behind everything already there.
// Execute reads the pointer and queues under the same lock, so every item
// queued on the old loop for this Home is ahead of the fence. The old loop
// forwards those items to the new one as it meets them (they run there at
// once: they are older than anything else), then the fence; meanwhile the
// new loop keeps the items queued on it directly aside, and runs them when
// the fence arrives.
//
// The zero value is unusable: set the first loop with Init.
type Home struct {
	// cur is where h lives: &l.settled for a loop l, or, from a move until
	// its fence arrives, a moving of its own that holds the work queued on
	// the new loop meanwhile. Off-loop readers only read its loop. A Home
	// is one pointer, as the loop pointer it replaces.
	cur atomic.Pointer[homeAt]
}

// homeAt is a Home's place: its loop, and while a move to that loop waits
// for its fence, the work queued there directly (loop goroutine only).
type homeAt struct {
	loop *Loop
	held []func()
}

// moves counts every Move of the process: a broadcast that grouped
// recipients by their home loop checks it when it queues the groups
// (ExecuteUnlessMoved), to know whether one of them may have left.
var moves atomic.Uint64

// Moves returns how many homes moved so far in this process. Take it before
// reading the Homes of the recipients of ExecuteUnlessMoved. Safe from any
// goroutine.
func Moves() uint64 { return moves.Load() }

// Init sets the first loop. Call it before h is shared.
func (h *Home) Init(l *Loop) { h.cur.Store(&l.settled) }

// Loop returns the current loop. It changes at most when Move runs. Safe
// from any goroutine.
func (h *Home) Loop() *Loop { return h.cur.Load().loop }

// On reports whether l is h's loop, as Loop() == l, reading only h when h
// is settled there. Safe from any goroutine.
func (h *Home) On(l *Loop) bool {
	at := h.cur.Load()
	return at == &l.settled || at.loop == l
}

// Here reports whether work for h may run now on l, the calling loop: l is
// its loop, and no move to l is still waiting for older work. Loop
// goroutine of l only.
func (h *Home) Here(l *Loop) bool { return h.cur.Load() == &l.settled }

// Execute runs fn on h's loop, after everything handed to h before it from
// the same goroutine, across moves. It never blocks. Safe from any
// goroutine.
func (h *Home) Execute(fn func()) {
	for {
		l := h.cur.Load().loop
		if l.pushIfHome(h, inboxItem{kind: itemHome, home: h, fn: fn}) {
			return
		}
	}
}

// Reroute runs fn for h, which was queued on loop `from` for h as a plain
// task (one batch for many Homes, such as a broadcast) that found h gone
// or still arriving: it keeps the place of the batch in h's order.
// Loop goroutine of `from` only; the batch must have been queued while h
// lived on `from` (see ExecuteUnlessMoved).
func (h *Home) Reroute(from *Loop, fn func()) { h.route(from, fn) }

// route runs fn, which was queued on l for h before h's move from l (if
// any): at once when h may run here, forwarded ahead of the fence when h
// left l, held for the fence when h is arriving on l. Loop l only.
func (h *Home) route(l *Loop, fn func()) {
	switch at := h.cur.Load(); {
	case at == &l.settled:
		l.safely(nil, fn)
	case at.loop != l:
		at.loop.push(inboxItem{kind: itemHomeForward, home: h, fn: fn})
	default:
		at.held = append(at.held, fn)
	}
}

// Move makes `to` h's loop. enter runs on `to` first, before any work of h
// runs there (move the state that belongs to a loop, such as timers, in
// it). Loop goroutine of `from` only, with h settled there (Here(from));
// `from` must not be `to`.
func (h *Home) Move(from, to *Loop, enter func()) {
	// Counted before h's new loop is published: whoever finds h on `to`
	// then also finds the move arriving there (Settled).
	to.arriving.Add(1)
	from.mu.Lock()
	h.cur.Store(&homeAt{loop: to})
	moves.Add(1)
	from.inbox = append(from.inbox, inboxItem{kind: itemHomeFence, home: h})
	from.mu.Unlock()
	from.schedule()
	// Nothing of h reaches `to` from `from` before this: `from` forwards
	// only when it runs its inbox, after this call.
	to.push(inboxItem{kind: itemTask, fn: enter})
}

// runHomeItem runs an item of h on l (runItem).
func (l *Loop) runHomeItem(it *inboxItem) {
	h := it.home
	switch it.kind {
	case itemHome:
		h.route(l, it.fn)
	case itemHomeForward:
		if to := h.cur.Load().loop; to != l {
			to.push(*it) // moved on again
			return
		}
		l.safely(nil, it.fn) // older than whatever is held
	case itemHomeFence:
		h.cur.Load().loop.push(inboxItem{kind: itemHomeArrive, home: h})
	case itemHomeArrive:
		at := h.cur.Load()
		h.cur.Store(&l.settled)
		l.arriving.Add(-1)
		for i, fn := range at.held {
			at.held[i] = nil
			l.safely(nil, fn)
		}
	}
}

// Settled reports whether every Home found living on l after Moves
// returned seen may run here now: none moved since, and no move to l waits
// for its fence. A batch for many Homes (ExecuteUnlessMoved) then skips
// checking each one with Here. Loop goroutine of l only.
func (l *Loop) Settled(seen uint64) bool {
	return l.arriving.Load() == 0 && moves.Load() == seen
}

// pushIfHome queues it unless h no longer lives on l; under the inbox lock,
// so that it is ahead of the fence of a move from l.
func (l *Loop) pushIfHome(h *Home, it inboxItem) bool {
	l.mu.Lock()
	if h.cur.Load().loop != l {
		l.mu.Unlock()
		return false
	}
	l.inbox = append(l.inbox, it)
	l.mu.Unlock()
	l.schedule()
	return true
}

// ExecuteUnlessMoved runs fn on l like Execute unless a Home moved since
// Moves returned seen; it reports whether fn was queued. A broadcast that
// grouped recipients by home loop queues each group with it: a group queued
// this way is ahead of the fence of any later move of its recipients, so
// the loop finds each recipient either at home or leaving (Home.Reroute
// keeps its order); when it returns false, take Moves again and send the
// recipients that left through their Home. Safe from any goroutine.
func (l *Loop) ExecuteUnlessMoved(seen uint64, fn func()) bool {
	l.mu.Lock()
	if moves.Load() != seen {
		l.mu.Unlock()
		return false
	}
	l.inbox = append(l.inbox, inboxItem{kind: itemTask, fn: fn})
	l.mu.Unlock()
	l.schedule()
	return true
}
