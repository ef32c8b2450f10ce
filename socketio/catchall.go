package socketio

import "github.com/sio-fast/sio-fast/socketio/parser"

// OnAny adds a catch-all listener for incoming events, called before the
// packet middlewares and the handler, where the handler would run. It
// returns a function that removes this listener. Any goroutine.
func (s *Socket) OnAny(fn AnyHandler) (off func()) { return s.addAny(false, fn, false) }

// PrependAny is OnAny, but the listener runs before the existing ones.
func (s *Socket) PrependAny(fn AnyHandler) (off func()) { return s.addAny(false, fn, true) }

// OffAny removes every incoming catch-all listener. Any goroutine.
func (s *Socket) OffAny() {
	s.mu.Lock()
	s.own().anyIn = nil
	s.mu.Unlock()
}

// ListenersAny returns the incoming catch-all listeners. Any goroutine.
func (s *Socket) ListenersAny() []AnyHandler { return s.listAny(false) }

// OnAnyOutgoing adds a catch-all listener for outgoing events: called for
// Socket.Emit (on the emitting goroutine) and for every broadcast that
// reaches this socket (on its home loop), with the event's arguments and a
// nil ack. It must not block. Any goroutine.
func (s *Socket) OnAnyOutgoing(fn AnyHandler) (off func()) { return s.addAny(true, fn, false) }

// PrependAnyOutgoing is OnAnyOutgoing, but the listener runs first.
func (s *Socket) PrependAnyOutgoing(fn AnyHandler) (off func()) {
	return s.addAny(true, fn, true)
}

// OffAnyOutgoing removes every outgoing catch-all listener. Any goroutine.
func (s *Socket) OffAnyOutgoing() {
	s.mu.Lock()
	s.own().anyOut = nil
	s.setBit(bitAnyOut, false)
	s.mu.Unlock()
}

// ListenersAnyOutgoing returns the outgoing catch-all listeners.
func (s *Socket) ListenersAnyOutgoing() []AnyHandler { return s.listAny(true) }

// anyList returns the incoming or outgoing catch-all list. s.mu held.
func (x *socketExtras) anyList(outgoing bool) *[]anyEntry {
	if outgoing {
		return &x.anyOut
	}
	return &x.anyIn
}

func (s *Socket) addAny(outgoing bool, fn AnyHandler, prepend bool) func() {
	s.mu.Lock()
	x := s.own()
	x.anySeq++
	e := anyEntry{id: x.anySeq, fn: fn}
	list := x.anyList(outgoing)
	if prepend {
		*list = append([]anyEntry{e}, *list...)
	} else {
		*list = append((*list)[:len(*list):len(*list)], e)
	}
	if outgoing {
		s.nsp.anyOut.Store(true) // before the bit: a broadcast that sees the bit sees this
	}
	s.setBit(bitAnyOut, len(x.anyOut) > 0)
	s.mu.Unlock()
	return func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		list := s.socketExtras.anyList(outgoing)
		for i, x := range *list {
			if x.id == e.id {
				*list = append((*list)[:i:i], (*list)[i+1:]...)
				break
			}
		}
		s.setBit(bitAnyOut, len(s.anyOut) > 0)
	}
}

func (s *Socket) listAny(outgoing bool) []AnyHandler {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := *s.socketExtras.anyList(outgoing)
	out := make([]AnyHandler, len(l))
	for i, e := range l {
		out[i] = e.fn
	}
	return out
}

// notifyOutgoing calls the outgoing listeners with an event payload
// (`["event",args...]`).
func (s *Socket) notifyOutgoing(data []byte, atts [][]byte) {
	name, args, err := parser.SplitEvent(data)
	if err != nil {
		return
	}
	elems, err := splitArgs(nil, args)
	if err != nil {
		return
	}
	s.mu.Lock()
	ls := s.anyOut // copy-on-write: safe to iterate unlocked
	s.mu.Unlock()
	ev := string(name)
	a, lease := lend(elems, atts)
	for _, e := range ls {
		s.safe(func() { e.fn(s, ev, a, nil) })
	}
	lease.end(a, s.workerBusy())
}

// notifyOutgoingText is notifyOutgoing for an encoded EVENT text message.
func (s *Socket) notifyOutgoingText(text []byte, atts [][]byte) {
	for i, c := range text {
		if c == '[' {
			s.notifyOutgoing(text[i:], atts)
			return
		}
	}
}
