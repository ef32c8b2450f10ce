package socketio

import "sync/atomic"

// atomicFlag is a one-way flag: set reports whether this call set it.
type atomicFlag struct{ v atomic.Bool }

func (f *atomicFlag) set() bool { return f.v.CompareAndSwap(false, true) }
