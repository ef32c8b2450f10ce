package socketio

// LocalCounter is implemented by adapters that count the local sockets a
// broadcast reaches without listing them: the MemoryAdapter and the
// cluster adapters that wrap one. CountLocal must be safe from any
// goroutine and must not block on the network.
type LocalCounter interface {
	CountLocal(opts *BroadcastOptions) int
}

// CountLocal returns how many sockets of this node a Broadcast with opts
// reaches: the connected sockets in at least one of opts.Rooms (all of the
// namespace when empty) and in none of opts.Except, each counted once. The
// flags are ignored. It walks the rooms under their read locks like the
// broadcast does and allocates nothing. Any goroutine.
func (a *MemoryAdapter) CountLocal(opts *BroadcastOptions) int {
	n := 0
	a.each(opts.Rooms, opts.Except, func(s *Socket) bool {
		if s.receivesBroadcasts() {
			n++
		}
		return true
	})
	return n
}

// CountLocal returns how many sockets of this node an Emit of o reaches
// now (summed over the child namespaces of a parent namespace), without
// listing them when the adapter is a LocalCounter. Sockets of other nodes
// are not counted. Any goroutine.
func (o BroadcastOperator) CountLocal() int {
	opts := o.options()
	if o.parent == nil {
		return countLocal(o.nsp.adapter, &opts)
	}
	n := 0
	for _, c := range o.parent.Children() {
		n += countLocal(c.adapter, &opts)
	}
	return n
}

// countLocal counts with a's LocalCounter, or else from the socket ids a
// lists (Adapter.Sockets) for the rooms and the except rooms.
func countLocal(a Adapter, opts *BroadcastOptions) int {
	switch c := a.(type) {
	case *MemoryAdapter: // a direct call: opts stays on the caller's stack
		return c.CountLocal(opts)
	case LocalCounter:
		escaping := *opts // an interface call: only this copy goes to the heap
		return c.CountLocal(&escaping)
	}
	in := a.Sockets(opts.Rooms)
	if len(opts.Except) == 0 {
		return len(in)
	}
	out := make(map[string]bool)
	for _, id := range a.Sockets(opts.Except) {
		out[id] = true
	}
	n := 0
	for _, id := range in {
		if !out[id] {
			n++
		}
	}
	return n
}
