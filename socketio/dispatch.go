package socketio

import (
	"log/slog"

	"github.com/sio-fast/sio-fast/internal/debuglog"
	"github.com/sio-fast/sio-fast/socketio/parser"
)

// onPacket handles a packet for this socket's namespace. Home loop.
func (s *Socket) onPacket(pkt *parser.Packet) {
	switch pkt.Type {
	case parser.Event, parser.BinaryEvent:
		s.onEvent(pkt)
	case parser.Ack, parser.BinaryAck:
		s.onAck(pkt)
	case parser.Disconnect:
		s.onClose(ReasonClientNamespaceDisconnect)
	}
}

// onEvent splits the event and dispatches it: inline, or as a private copy
// on the socket's goroutine. Events arriving after disconnect are ignored.
func (s *Socket) onEvent(pkt *parser.Packet) {
	if s.state.Load() != stateConnected {
		return
	}
	name, rawArgs, err := parser.SplitEvent(pkt.Data)
	if err != nil {
		return // the decoder validated it; unreachable in practice
	}
	table := getArgTable()
	defer putArgTable(table)
	elems, err := splitArgs(*table, rawArgs)
	*table = elems
	if err != nil {
		return
	}
	if debuglog.On(debuglog.Socket) {
		debugSocket(s, "event", slog.String("event", string(name)), slog.Int64("ack", pkt.ID), slog.Int("args", len(elems)))
	}
	var (
		ack  AckFunc
		once *ackOnce
	)
	if pkt.ID >= 0 {
		once = &ackOnce{s: s, id: pkt.ID}
		ack = once.send
	}
	if s.nsp.srv.async {
		ev := string(name)
		args := Args{elems: elems, atts: pkt.Attachments}.copyOut()
		s.Go(func() { s.dispatchEvent([]byte(ev), args, ack) })
		return
	}
	args, lease := lendOn(s.conn.ls(), elems, pkt.Attachments)
	s.dispatchEvent(name, args, ack)
	// An ack not answered yet will be, later, usually with these Args.
	lease.endOn(s.conn.ls(), args, once != nil && !once.answered())
}

// dispatchEvent runs the catch-all listeners, the packet middlewares and
// the handler, in Node's order. The event name is turned into a string only
// when a listener or middleware needs one.
func (s *Socket) dispatchEvent(name []byte, args Args, ack AckFunc) {
	s.mu.Lock()
	anyIn, pmws := s.anyIn, s.pmws
	h := s.handlers.get(name)
	s.mu.Unlock()
	if len(anyIn) > 0 || len(pmws) > 0 {
		ev := string(name)
		for _, e := range anyIn {
			s.safe(func() { e.fn(s, ev, args, ack) })
		}
		for _, mw := range pmws {
			var err error
			s.safe(func() { err = mw(s, ev, args) })
			if err != nil {
				s.emitError(err)
				return
			}
		}
	}
	if h != nil && s.state.Load() == stateConnected {
		s.callHandler(h, args, ack)
	}
}

// callHandler calls h, recovering a panic (kept out of dispatchEvent so the
// common path needs no closure).
func (s *Socket) callHandler(h EventHandler, args Args, ack AckFunc) {
	defer func() {
		if r := recover(); r != nil {
			s.nsp.srv.logger.Error("socketio: handler panic", "namespace", s.nsp.name, "socket", s.id, "panic", r)
		}
	}()
	h(s, args, ack)
}
