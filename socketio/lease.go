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
	gen  uint64
	kept *Args // the private copy made at end, nil while live or retired
}

var leasePool = sync.Pool{New: func() any { return new(argLease) }}

// lend returns Args over elems and atts, valid until end.
func lend(elems, atts [][]byte) (Args, *argLease) {
	l := leasePool.Get().(*argLease)
	l.mu.Lock()
	gen := l.gen
	l.mu.Unlock()
	return Args{elems: elems, atts: atts, lease: l, gen: gen}, l
}

// end closes the call a was lent for. With keep, a private copy of a
// replaces the buffers for every holder of a (or of a view of it);
// otherwise they get ErrArgsExpired. Called once, by the goroutine that
// lent a, before the buffers are reused.
func (l *argLease) end(a Args, keep bool) {
	l.mu.Lock()
	if keep {
		c := a.copyOut()
		l.kept = &c
	}
	l.gen++
	l.mu.Unlock()
	if !keep {
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
	if l.gen == a.gen {
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
	end := int(a.off) + len(a.elems)
	return Args{elems: k.elems[a.off:end:end], atts: k.atts, view: a.view}
}

// keepArgs reports whether the arguments of a call that just returned may
// still be used: an ack the call did not answer yet (it will be answered
// later, usually with these arguments), or work the call queued with
// Socket.Go.
func (s *Socket) keepArgs(ack *ackOnce) bool {
	if ack != nil && !ack.answered() {
		return true
	}
	return s.workerBusy()
}
