package socketio

import "sync"

// argLease guards the buffers an Args aliases (the engine's read buffer,
// a pooled decoder's buffer, the argument table, an emit's scratch buffer)
// for one call of user code. While the call runs, the lease is live and
// every accessor reads the buffers under mu, so a goroutine reading the
// Args while the loop moves on never sees them change. When the call
// returns, end either copies the arguments into the lease (kept: the Args
// stays valid for good, from whichever goroutine) or retires the lease's
// generation (every accessor then fails with ErrArgsExpired). Either way
// nothing reads the buffers after end returned, so the loop may reuse them.
//
// Leases are pooled: a retired one serves the next call under a new
// generation; a kept one is never reused (the Args that escaped hold it).
type argLease struct {
	mu   sync.Mutex
	gen  uint64 // written under mu by end only
	kept *Args  // the private copy made at end, nil while live or retired
	// goMark is the loop's count of Socket.Go calls when the lease was lent
	// (lendOn): a different count at the end means work was queued during
	// the call, which may use the Args after it returned.
	goMark uint64
}

var leasePool = sync.Pool{New: func() any { return new(argLease) }}

// lend returns Args over elems and atts, valid until end. gen is read
// without the lock: only end writes it, before the lease went back to the
// pool this Get took it from.
func lend(elems, atts [][]byte) (Args, *argLease) {
	l := leasePool.Get().(*argLease)
	return Args{elems: elems, atts: atts, lease: l, tag: l.gen << tagGenShift}, l
}

// lendOn is lend for a call of user code on the home loop of ls, with the
// loop's spare lease when it has one (no pool round trip per event). Home
// loop.
func lendOn(ls *loopState, elems, atts [][]byte) (Args, *argLease) {
	l := ls.spare
	if l == nil {
		l = leasePool.Get().(*argLease)
	}
	ls.spare = nil
	l.goMark = ls.goCalls.Load()
	return Args{elems: elems, atts: atts, lease: l, tag: l.gen << tagGenShift}, l
}

// endOn is end for a lease lent with lendOn, kept also when Socket.Go or
// GoConcurrent was called for a socket of the loop meanwhile; a retired
// lease becomes the loop's spare. Home loop.
func (l *argLease) endOn(ls *loopState, a Args, keep bool) {
	keep = keep || ls.goCalls.Load() != l.goMark
	if l.close(a, keep) && ls.spare == nil {
		ls.spare = l
		return
	}
	l.recycle()
}

// end closes the call a was lent for. With keep (or when Socket.Go marked
// the lease), a private copy of a replaces the buffers for every holder of
// a (or of a view of it); otherwise they get ErrArgsExpired. Called once,
// by the goroutine that lent a, before the buffers are reused.
func (l *argLease) end(a Args, keep bool) {
	l.close(a, keep)
	l.recycle()
}

// close ends the generation a was lent under, keeping a copy of a when
// asked; it reports whether the lease may be lent again.
func (l *argLease) close(a Args, keep bool) bool {
	l.mu.Lock()
	if keep {
		c := a.copyOut()
		l.kept = &c
	}
	l.gen++
	l.mu.Unlock()
	return !keep && l.gen < maxGen // a worn-out lease is dropped: generations never wrap
}

// recycle gives a lease that may be lent again back to the pool (after
// close; a kept or worn-out one is left to the garbage collector).
func (l *argLease) recycle() {
	if l.kept == nil && l.gen < maxGen {
		leasePool.Put(l)
	}
}

// acquire returns the Args to read in place of a — a itself while its
// lease is live (then locked: release must follow), the copy kept at the
// end of the call, or ErrArgsExpired.
func (a Args) acquire() (Args, bool, error) {
	l := a.lease
	if l == nil {
		return a, false, nil
	}
	l.mu.Lock()
	if l.gen == a.gen() {
		return a, true, nil
	}
	kept := l.kept
	l.mu.Unlock()
	if kept == nil {
		return Args{}, false, ErrArgsExpired
	}
	return kept.viewLike(a), false, nil
}

// release ends an acquire that returned locked.
func (a Args) release(locked bool) {
	if locked {
		a.lease.mu.Unlock()
	}
}

// viewLike returns the part of the full kept copy k that the view a
// covers.
func (k Args) viewLike(a Args) Args {
	off := a.off()
	end := off + len(a.elems)
	return Args{elems: k.elems[off:end:end], atts: k.atts, tag: a.tag & tagViewBit}
}

// keepLoopLease tells the handler running on s's home loop, if any, that
// Socket.Go or GoConcurrent was called: the function queued may use its
// Args, which are then kept (see endOn). A call from another goroutine may
// keep the Args of another socket of that loop, which costs only a copy.
// Any goroutine.
func (s *Socket) keepLoopLease() { s.conn.ls().goCalls.Add(1) }
