package loop

// flushWaiter is a function of AfterFlush and the dirty count it waits for.
type flushWaiter struct {
	upTo uint64
	fn   func()
}

// AfterFlush runs fn on the loop once every connection written to before
// the call has been flushed: its bytes handed to the kernel, or to gnet's
// buffer when the socket was full. A fan-out to more connections than one
// turn flushes (1,024) spreads over several turns; fn tells when the last
// of them left. With nothing queued, fn runs at the end of the current turn.
// It costs no allocation once the loop has seen as many waiters at once.
// Loop goroutine only.
func (l *Loop) AfterFlush(fn func()) {
	l.flushWaiters = append(l.flushWaiters, flushWaiter{upTo: l.dirtied, fn: fn})
}

// runFlushWaiters runs, in order, the waiters whose connections are all
// flushed. A waiter may write, and so add to dirty: later waiters only wait
// for what was dirty when they came.
func (l *Loop) runFlushWaiters() {
	n := 0
	for n < len(l.flushWaiters) && l.flushWaiters[n].upTo <= l.undirtied {
		l.safely(nil, l.flushWaiters[n].fn)
		n++
	}
	rest := copy(l.flushWaiters, l.flushWaiters[n:])
	clear(l.flushWaiters[rest:])
	l.flushWaiters = l.flushWaiters[:rest]
}
