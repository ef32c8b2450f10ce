package socketio

import (
	"context"
	"time"

	"github.com/sio-fast/sio-fast/socketio/parser"
)

// BroadcastOperator selects recipients and flags for a broadcast (Node's
// BroadcastOperator). It is an immutable value: every method returns a new
// operator, so partial operators can be shared. To/In accumulate a union of
// rooms, Except a union of excluded rooms; each socket receives a broadcast
// at most once. Safe from any goroutine.
type BroadcastOperator struct {
	nsp    *Namespace
	parent *ParentNamespace
	rooms  []Room
	except []Room
	flags  BroadcastFlags
}

func appendRooms(dst, add []Room) []Room { return append(dst[:len(dst):len(dst)], add...) }

// To adds rooms to the target union.
func (o BroadcastOperator) To(rooms ...Room) BroadcastOperator {
	o.rooms = appendRooms(o.rooms, rooms)
	return o
}

// In is an alias of To.
func (o BroadcastOperator) In(rooms ...Room) BroadcastOperator { return o.To(rooms...) }

// Except excludes the members of rooms.
func (o BroadcastOperator) Except(rooms ...Room) BroadcastOperator {
	o.except = appendRooms(o.except, rooms)
	return o
}

// Volatile drops the packet for recipients whose transport is not writable.
func (o BroadcastOperator) Volatile() BroadcastOperator { o.flags.Volatile = true; return o }

// Compress allows (true, the default) or forbids compression of the
// broadcast (see Socket.Compress).
func (o BroadcastOperator) Compress(c bool) BroadcastOperator { o.flags.NoCompress = !c; return o }

// Local restricts the broadcast to this node.
func (o BroadcastOperator) Local() BroadcastOperator { o.flags.Local = true; return o }

// Timeout sets the deadline of EmitAck/EmitWithAck.
func (o BroadcastOperator) Timeout(d time.Duration) BroadcastOperator { o.flags.Timeout = d; return o }

func (o BroadcastOperator) options() BroadcastOptions {
	return BroadcastOptions{Rooms: o.rooms, Except: o.except, Flags: o.flags}
}

// each calls fn with the operator for each target namespace.
func (o BroadcastOperator) each(fn func(BroadcastOperator) error) error {
	if o.parent == nil {
		return fn(o)
	}
	for _, c := range o.parent.Children() {
		o2 := o
		o2.nsp, o2.parent = c, nil
		if err := fn(o2); err != nil {
			return err
		}
	}
	return nil
}

// Emit broadcasts an event (argument rules of Socket.Emit). The packet is
// encoded once, and not at all when no local socket is selected.
func (o BroadcastOperator) Emit(event string, args ...any) error {
	if parser.IsReservedEvent(event) {
		return ErrReservedEvent
	}
	return o.each(func(o BroadcastOperator) error {
		opts := o.options()
		if lr, ok := o.nsp.adapter.(localRecipients); ok && !lr.anyRecipient(&opts) {
			return nil // nobody would receive it: do not even serialise the arguments
		}
		data, atts, bp, err := eventData(event, false, args)
		if err == nil {
			pkt := parser.Packet{Type: parser.Event, Namespace: o.nsp.name, ID: -1, Data: data, Attachments: atts}
			opts.Flags.Binary = len(atts) > 0
			o.nsp.adapter.Broadcast(&pkt, &opts)
		}
		releaseScratch(bp)
		return err
	})
}

// Send broadcasts the "message" event.
func (o BroadcastOperator) Send(args ...any) error { return o.Emit("message", args...) }

// EmitAck broadcasts with an acknowledgement: cb gets every response, or
// ErrAckTimeout and the responses received so far when the Timeout passes.
// Like Node, without Timeout the callback fires at once with ErrAckTimeout.
func (o BroadcastOperator) EmitAck(event string, cb BroadcastAckCallback, args ...any) error {
	if parser.IsReservedEvent(event) {
		return ErrReservedEvent
	}
	if o.parent != nil {
		return ErrParentNamespace
	}
	data, atts, bp, err := eventData(event, false, args)
	defer releaseScratch(bp)
	if err != nil {
		return err
	}
	nsp := o.nsp
	col := newAckCollector(nsp.adapter.ServerCount(), o.flags.Timeout, cb)
	pkt := parser.Packet{Type: parser.Event, Namespace: nsp.name, ID: nsp.nextAckID(), Data: data, Attachments: atts}
	opts := o.options()
	nsp.adapter.BroadcastWithAck(&pkt, &opts, col.clientCount, col.ack)
	return nil
}

// EmitWithAck broadcasts and waits for the responses (see EmitAck); the
// context's deadline is used as the timeout when Timeout was not set. It
// blocks: never call it from an inline handler.
func (o BroadcastOperator) EmitWithAck(ctx context.Context, event string, args ...any) ([]Args, error) {
	if o.flags.Timeout == 0 {
		if dl, ok := ctx.Deadline(); ok {
			o.flags.Timeout = time.Until(dl)
		}
	}
	type result struct {
		res []Args
		err error
	}
	ch := make(chan result, 1)
	if err := o.EmitAck(event, func(err error, r []Args) { ch <- result{r, err} }, args...); err != nil {
		return nil, err
	}
	select {
	case r := <-ch:
		return r.res, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// FetchSockets returns the selected sockets.
func (o BroadcastOperator) FetchSockets() ([]RemoteSocket, error) {
	if o.parent != nil {
		return nil, ErrParentNamespace
	}
	opts := o.options()
	return o.nsp.adapter.FetchSockets(&opts)
}

// SocketsJoin makes the selected sockets join rooms.
func (o BroadcastOperator) SocketsJoin(rooms ...Room) {
	_ = o.each(func(o BroadcastOperator) error {
		opts := o.options()
		o.nsp.adapter.AddSockets(&opts, rooms)
		return nil
	})
}

// SocketsLeave makes the selected sockets leave rooms.
func (o BroadcastOperator) SocketsLeave(rooms ...Room) {
	_ = o.each(func(o BroadcastOperator) error {
		opts := o.options()
		o.nsp.adapter.DelSockets(&opts, rooms)
		return nil
	})
}

// DisconnectSockets disconnects the selected sockets (close: their whole
// Engine.IO session).
func (o BroadcastOperator) DisconnectSockets(close bool) {
	_ = o.each(func(o BroadcastOperator) error {
		opts := o.options()
		o.nsp.adapter.DisconnectSockets(&opts, close)
		return nil
	})
}
