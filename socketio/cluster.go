package socketio

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/sio-fast/sio-fast/socketio/parser"
)

// The hooks below exist for cluster adapters (adapter/redis): what another
// node asks of this one goes through them.

// NextAckID returns a fresh ack id of the namespace, for an adapter that
// runs a broadcast with ack on behalf of another node (Node's adapter takes
// nsp._ids++ the same way). Any goroutine.
func (n *Namespace) NextAckID() int64 { return n.nextAckID() }

// ServerSideHandler handles an event another node sent with ServerSideEmit.
// args are the handler's own (they may be kept). ack is nil when
// the sender asked for no acknowledgement; otherwise its first value is the
// answer sent back (only the first call counts; Emit's value rules).
//
// It runs on the cluster adapter's receiving goroutine, one message after
// the other: it must not block (start a goroutine for slow work). A panic is
// recovered and logged.
type ServerSideHandler func(args Args, ack AckFunc)

// serverSideHandlers maps event names to handlers; a namespace allocates it
// on the first OnServerSideEmit.
type serverSideHandlers struct {
	mu sync.RWMutex
	m  map[string]ServerSideHandler
}

// OnServerSideEmit registers h for event, replacing any handler of that
// name (Node's nsp.on(event, ...) for events of other nodes). Any goroutine.
func (n *Namespace) OnServerSideEmit(event string, h ServerSideHandler) {
	t := n.serverSideTable(true)
	t.mu.Lock()
	t.m[event] = h
	t.mu.Unlock()
}

func (n *Namespace) serverSideTable(create bool) *serverSideHandlers {
	if t := n.serverSide.Load(); t != nil || !create {
		return t
	}
	n.serverSide.CompareAndSwap(nil, &serverSideHandlers{m: map[string]ServerSideHandler{}})
	return n.serverSide.Load()
}

// DeliverServerSideEmit runs the handler of a server-side event received
// from another node. data is the JSON array [event, ...args] (binary
// placeholders indexing atts). reply, when not nil, receives the handler's
// acknowledgement as Args (its first value is what Node nodes expect);
// it is called at most once. Events without a handler are dropped, like an
// EventEmitter event without listener. Called by cluster adapters, from
// their receiving goroutine.
func (n *Namespace) DeliverServerSideEmit(data []byte, atts [][]byte, reply func(Args)) error {
	name, inner, err := parser.SplitEvent(data)
	if err != nil {
		return err
	}
	t := n.serverSideTable(false)
	if t == nil {
		return nil
	}
	t.mu.RLock()
	h := t.m[string(name)]
	t.mu.RUnlock()
	if h == nil {
		return nil
	}
	elems, err := splitArgs(nil, inner) // the Args' own: they may be kept
	if err != nil {
		return err
	}
	var ack AckFunc
	if reply != nil {
		ack = n.serverSideAck(reply)
	}
	defer func() {
		if p := recover(); p != nil {
			n.srv.logger.Error("socketio: server-side event handler panicked", "namespace", n.name, "event", string(name), "panic", p)
		}
	}()
	h(Args{elems: elems, atts: atts}, ack)
	return nil
}

// serverSideAck turns reply into an AckFunc that encodes its values; only
// the first successful call answers (later ones return ErrAckSent).
func (n *Namespace) serverSideAck(reply func(Args)) AckFunc {
	var sent atomic.Bool
	return func(values ...any) error {
		a, err := ArgsOf(values...)
		if err != nil {
			return err
		}
		if !sent.CompareAndSwap(false, true) {
			return ErrAckSent
		}
		reply(a)
		return nil
	}
}

// ArgsOf encodes values by Emit's rules into Args (a private copy). For
// adapters and tests. Any goroutine.
func ArgsOf(values ...any) (Args, error) {
	data, atts, bp, err := eventData("", true, values)
	defer releaseScratch(bp)
	if err != nil {
		return Args{}, err
	}
	inner, err := parser.ArrayElems(data)
	if err != nil {
		return Args{}, err
	}
	elems, err := splitArgs(nil, inner)
	if err != nil {
		return Args{}, err
	}
	return Args{elems: elems, atts: atts}.Clone(), nil
}

// Rooms returns the names of the rooms that have at least one local socket,
// socket id rooms included (Node's adapter.rooms.keys(), for allRooms).
func (a *MemoryAdapter) Rooms() []Room {
	rs := a.ix.Rooms(nil)
	for _, s := range a.nsp.Sockets() {
		if s.inOwnRoom() {
			rs = append(rs, s.id)
		}
	}
	return rs
}

// RecoveryWindow returns Recovery.MaxDisconnectionDuration (defaults
// applied), 0 when connection state recovery is off. For cluster adapters
// that store sessions themselves. Any goroutine.
func (n *Namespace) RecoveryWindow() time.Duration {
	if n.srv.recovery == nil {
		return 0
	}
	return n.srv.recovery.MaxDisconnectionDuration
}

// Deliver fans pkt out to the selected local sockets without storing it
// for connection state recovery, whatever the server's Recovery: for a
// cluster adapter that stores packets on its own log and has already
// appended the offset (AppendOffset). Any goroutine; it never blocks.
func (a *MemoryAdapter) Deliver(pkt *parser.Packet, opts *BroadcastOptions) { a.fanout(pkt, opts, nil) }
