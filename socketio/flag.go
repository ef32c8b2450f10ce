package socketio

import "sync/atomic"

// atomicFlag is a claim flag: set reports whether this call set it; clear
// gives the claim back (an ack whose values could not be encoded).
type atomicFlag struct{ v atomic.Bool }

func (f *atomicFlag) set() bool { return f.v.CompareAndSwap(false, true) }

func (f *atomicFlag) clear() { f.v.Store(false) }
