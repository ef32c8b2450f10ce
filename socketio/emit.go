package socketio

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/sio-fast/sio-fast/socketio/parser"
)

// Emitter carries per-emit flags for one socket (Node's socket.timeout(),
// socket.volatile, socket.compress()). It is a value: flags never leak into
// the next emit. Get one from Socket.Timeout, Socket.Volatile or
// Socket.Compress.
type Emitter struct {
	s          *Socket
	timeout    time.Duration
	volatile   bool
	noCompress bool
}

// Timeout returns an Emitter whose acks fail with ErrAckTimeout after d.
func (s *Socket) Timeout(d time.Duration) Emitter { return Emitter{s: s, timeout: d} }

// Volatile returns an Emitter whose packets are dropped when the transport
// is not writable at that instant.
func (s *Socket) Volatile() Emitter { return Emitter{s: s, volatile: true} }

// Compress returns an Emitter that sends with compression allowed (true,
// the default) or not (false: no permessage-deflate for these messages, and
// no HTTP compression of a polling response made only of such messages).
func (s *Socket) Compress(compress bool) Emitter { return Emitter{s: s, noCompress: !compress} }

// Timeout sets the ack timeout.
func (e Emitter) Timeout(d time.Duration) Emitter { e.timeout = d; return e }

// Volatile sets the volatile flag.
func (e Emitter) Volatile() Emitter { e.volatile = true; return e }

// Compress allows or forbids compression (see Socket.Compress).
func (e Emitter) Compress(compress bool) Emitter { e.noCompress = !compress; return e }

// Emit sends an event to this client. Argument encoding, without
// reflection: string, bool, integers, floats, nil, json.RawMessage
// (verbatim), []byte (binary attachment), Args and Args.Arg views (spliced
// as received with their attachments, for echoing; ErrArgsExpired when
// they expired, see the package doc). Other values (structs, maps, slices, values holding []byte at any
// depth) go through parser.Deconstruct and jsonx. Reserved event names
// return ErrReservedEvent; emitting on a disconnected socket is silently
// ignored, like Node. Safe from any goroutine; emits from one goroutine
// arrive in order.
func (s *Socket) Emit(event string, args ...any) error { return Emitter{s: s}.Emit(event, args...) }

// EmitAck is Emit with an acknowledgement: cb receives the client's answer
// (see AckCallback). Without a timeout (Socket.Timeout) cb may never run.
func (s *Socket) EmitAck(event string, cb AckCallback, args ...any) error {
	return Emitter{s: s}.EmitAck(event, cb, args...)
}

// EmitWithAck emits and waits for the client's answer, the context's end or
// the Emitter timeout (Socket.Timeout), whichever comes first: either alone
// is enough (the pending ack is forgotten when the context ends, it does not
// wait for a timeout). The error is ErrAckTimeout or the context's error.
// The returned Args are a private copy.
//
// It blocks: never call it from a handler in HandlerInline mode (it would
// stall the event loop that must deliver the answer). Call it from Socket.Go,
// a HandlerAsync handler or your own goroutine.
func (s *Socket) EmitWithAck(ctx context.Context, event string, args ...any) (Args, error) {
	return Emitter{s: s}.EmitWithAck(ctx, event, args...)
}

// Send emits the "message" event (Node's socket.send).
func (s *Socket) Send(args ...any) error { return s.Emit("message", args...) }

// Emit sends an event with the Emitter's flags. See Socket.Emit.
func (e Emitter) Emit(event string, args ...any) error { return e.emit(event, args, nil) }

// EmitAck sends an event with an ack callback. See Socket.EmitAck.
func (e Emitter) EmitAck(event string, cb AckCallback, args ...any) error {
	return e.emit(event, args, cb)
}

// EmitWithAck is the blocking form. See Socket.EmitWithAck.
func (e Emitter) EmitWithAck(ctx context.Context, event string, args ...any) (Args, error) {
	type result struct {
		args Args
		err  error
	}
	ch := make(chan result, 1)
	id, err := e.emitID(event, args, func(err error, a Args) { ch <- result{a.Clone(), err} })
	if err != nil {
		return Args{}, err
	}
	select {
	case r := <-ch:
		return r.args, r.err
	case <-ctx.Done():
		e.s.takeAck(id) // nobody waits any more: forget the entry
		return Args{}, ctx.Err()
	}
}

func (e Emitter) emit(event string, values []any, cb AckCallback) error {
	_, err := e.emitID(event, values, cb)
	return err
}

// emitID emits and returns the ack id registered for cb (-1 without cb).
func (e Emitter) emitID(event string, values []any, cb AckCallback) (int64, error) {
	s := e.s
	if parser.IsReservedEvent(event) {
		return -1, ErrReservedEvent
	}
	if s.state.Load() == stateDisconnected && !e.storedWhenGone(cb) {
		if cb != nil {
			return -1, ErrDisconnected
		}
		return -1, nil
	}
	data, atts, bp, err := eventData(event, false, values)
	if err != nil {
		releaseScratch(bp)
		return -1, err
	}
	pkt := parser.Packet{Type: parser.Event, Namespace: s.nsp.name, ID: -1, Data: data, Attachments: atts}
	if cb != nil {
		pkt.ID = s.nsp.nextAckID()
	}
	if s.nsp.srv.recovery != nil && storedEmit(pkt.ID, e.volatile) && s.emitStored(data, atts, e.noCompress) {
		releaseScratch(bp) // stored and sent by the adapter, with an offset (recovery.go)
		return -1, nil
	}
	msgs, err := s.nsp.srv.encode(&pkt)
	if err != nil {
		releaseScratch(bp)
		return -1, err
	}
	if cb != nil {
		s.addAck(pkt.ID, cb, e.timeout)
	}
	if e.noCompress {
		markNoCompress(msgs)
	}
	if s.hasAnyOut() {
		s.notifyOutgoing(data, atts)
	}
	releaseScratch(bp)
	s.sendMessages(msgs, e.volatile)
	return pkt.ID, nil
}

// sendAck answers the client's ack id with values. Any goroutine.
func (s *Socket) sendAck(id int64, values []any) error {
	if s.state.Load() == stateDisconnected {
		return ErrDisconnected
	}
	data, atts, bp, err := eventData("", true, values)
	if err != nil {
		releaseScratch(bp)
		return err
	}
	pkt := parser.Packet{Type: parser.Ack, Namespace: s.nsp.name, ID: id, Data: data, Attachments: atts}
	msgs, err := s.nsp.srv.encode(&pkt)
	releaseScratch(bp)
	if err != nil {
		return err
	}
	s.conn.es.Send(msgs...)
	s.conn.countSent()
	return nil
}

// ackOnce is the state of one AckFunc: pending, sending (a call claimed
// it and is encoding) or sent. A failed encoding gives the claim back.
type ackOnce struct {
	s     *Socket
	id    int64
	state atomic.Int32
}

const (
	ackPending int32 = iota
	ackSending
	ackSent
)

func (a *ackOnce) send(values ...any) error {
	if !a.state.CompareAndSwap(ackPending, ackSending) {
		return ErrAckSent
	}
	err := a.s.sendAck(a.id, values)
	if err != nil && err != ErrDisconnected {
		a.state.Store(ackPending) // nothing went out: a corrected call may still answer
		return err
	}
	a.state.Store(ackSent)
	return err
}

// answered reports whether the ack went out: until then the handler's
// arguments must outlive it (see keepArgs).
func (a *ackOnce) answered() bool { return a.state.Load() == ackSent }
