package socketio

import (
	"log/slog"
	"time"

	"github.com/sio-fast/sio-fast/engineio"
	"github.com/sio-fast/sio-fast/internal/debuglog"
	"github.com/sio-fast/sio-fast/rooms"
	"github.com/sio-fast/sio-fast/socketio/parser"
)

// MemoryAdapterHooks are the adapter events of Node (create-room,
// delete-room, join-room, leave-room). OnCreateRoom and OnDeleteRoom run
// while the room index holds a shard lock: they must be quick and must not
// call the adapter. OnJoinRoom/OnLeaveRoom run on the goroutine that changed
// the membership, without locks, except for a socket recovering its session
// (Config.Recovery): it rejoins its rooms under the lock that orders the
// namespace's broadcasts: those hooks must not broadcast in the namespace
// then (the broadcast would wait for that lock forever).
type MemoryAdapterHooks struct {
	OnCreateRoom func(room Room)
	OnDeleteRoom func(room Room)
	OnJoinRoom   func(room Room, id string)
	OnLeaveRoom  func(room Room, id string)
}

// MemoryAdapter is the in-memory Adapter: a sharded rooms.Index of local
// sockets. Broadcasts encode the packet once, wrap it in one
// engineio.Prepared, and hand one task per event loop that writes the same
// bytes to every recipient on that loop. All methods are safe from any
// goroutine.
//
// A socket's own room (named after its id) is not stored in the index: a
// room set per socket would cost about 260 bytes per idle connection. A
// socket in no other room is not in the index at all: broadcasts to all
// and every selection without rooms go through the per-loop recipient
// tables (recipients.go), which list every connected socket. A room name
// that is the id of a socket of the namespace selects that socket, unless
// it left its own room (bitOwnRoomLeft). Everything else
// behaves as if the room existed: Len, Sockets, SocketRooms and the room
// hooks included.
type MemoryAdapter struct {
	nsp   *Namespace
	ix    *rooms.Index[*Socket]
	hooks MemoryAdapterHooks
	rec   *memStore // connection state recovery (recovery_memory.go), nil when off
}

// NewMemoryAdapter returns the in-memory adapter of nsp. It is the default
// Config.NewAdapter.
func NewMemoryAdapter(nsp *Namespace) Adapter {
	return NewMemoryAdapterWithHooks(nsp, MemoryAdapterHooks{})
}

// NewMemoryAdapterWithHooks is NewMemoryAdapter with room event hooks.
func NewMemoryAdapterWithHooks(nsp *Namespace, h MemoryAdapterHooks) *MemoryAdapter {
	a := &MemoryAdapter{
		nsp:   nsp,
		hooks: h,
		ix:    rooms.NewWithOptions[*Socket](rooms.Options{OnCreate: h.OnCreateRoom, OnDelete: h.OnDeleteRoom}),
	}
	if r := nsp.srv.recovery; r != nil {
		a.rec = newMemStore(r.MaxDisconnectionDuration)
	}
	return a
}

// Init does nothing for the in-memory adapter.
func (a *MemoryAdapter) Init() error { return nil }

// Close drops the sessions and packets kept for connection state recovery.
func (a *MemoryAdapter) Close() error {
	if a.rec != nil {
		a.rec.close()
	}
	return nil
}

// AddAll adds s to rooms.
func (a *MemoryAdapter) AddAll(s *Socket, rs []Room) {
	if debuglog.On(debuglog.Adapter) {
		debugAdapter(a.nsp, "join", slog.String("socket", s.id), slog.Any("rooms", rs))
	}
	if len(rs) > 0 && s.bits.Load()&bitListed == 0 {
		a.nsp.rcpt.list(s) // in the index: a recipient of broadcasts to all
	}
	for _, r := range rs {
		switch {
		case r == s.id:
			a.joinOwn(s)
		case !a.reportsJoins():
			a.ix.Join(s, r)
		case !a.ix.Has(s, r):
			a.ix.Join(s, r)
			a.joined(r, s.id)
		}
	}
}

// joinOwn puts s in its own room: selectable by id. (Broadcasts to all
// reach it through the recipient tables, where AddAll listed it.)
func (a *MemoryAdapter) joinOwn(s *Socket) {
	if !s.setBit(bitOwnRoomLeft, false) && s.setBit(bitOwnRoomJoined, true) {
		return // already in it
	}
	if a.hooks.OnCreateRoom != nil {
		a.hooks.OnCreateRoom(s.id)
	}
	a.joined(s.id, s.id)
}

// leaveOwn takes s out of its own room, firing the hooks Node fires.
func (a *MemoryAdapter) leaveOwn(s *Socket) {
	if s.bits.Load()&bitOwnRoomJoined == 0 || s.setBit(bitOwnRoomLeft, true) {
		return
	}
	if a.hooks.OnDeleteRoom != nil {
		a.hooks.OnDeleteRoom(s.id)
	}
	a.left(s.id, s.id)
}

// Del removes s from room.
func (a *MemoryAdapter) Del(s *Socket, room Room) {
	if debuglog.On(debuglog.Adapter) {
		debugAdapter(a.nsp, "leave", slog.String("socket", s.id), slog.String("room", room))
	}
	switch {
	case room == s.id:
		a.leaveOwn(s)
	case a.reportsLeaves() && a.ix.Has(s, room):
		a.ix.Leave(s, room)
		a.left(room, s.id)
	default:
		a.ix.Leave(s, room)
	}
}

// DelAll removes s from all its rooms.
func (a *MemoryAdapter) DelAll(s *Socket) {
	if debuglog.On(debuglog.Adapter) {
		debugAdapter(a.nsp, "leave all", slog.String("socket", s.id))
	}
	a.leaveOwn(s)
	a.nsp.rcpt.unlist(s)
	if !a.reportsLeaves() {
		a.ix.LeaveAll(s)
		return
	}
	rs := a.ix.RoomsOf(s, nil)
	a.ix.LeaveAll(s)
	for _, r := range rs {
		a.left(r, s.id)
	}
}

// Broadcast encodes pkt once and writes it to every selected local socket.
// Nothing is encoded when no local socket is selected.
func (a *MemoryAdapter) Broadcast(pkt *parser.Packet, opts *BroadcastOptions) {
	if a.rec != nil && pkt.ID < 0 && !opts.Flags.Volatile {
		a.rec.broadcast(a, pkt, opts) // stored for recovery, with an offset (recovery_memory.go)
		return
	}
	a.fanout(pkt, opts, nil)
}

// BroadcastWithAck is Broadcast with pkt.ID registered as an ack on every
// recipient.
func (a *MemoryAdapter) BroadcastWithAck(pkt *parser.Packet, opts *BroadcastOptions, clientCount func(int), ack func(Args)) {
	b := &bcastAck{onAck: ack}
	clientCount(a.fanout(pkt, opts, b))
}

// fanout collects the recipients grouped by loop and dispatches one task per
// loop. It returns the number of recipients.
func (a *MemoryAdapter) fanout(pkt *parser.Packet, opts *BroadcastOptions, ack *bcastAck) int {
	c := newCollector()
	if c.obs = a.nsp.srv.fanoutObs.Load(); c.obs != nil {
		c.start = time.Now() // before the room index is walked: part of the latency
	}
	// To all (no rooms, no except, no ack to count): each loop walks its
	// table of recipients (recipients.go), collected after the encoding.
	toAll := ack == nil && len(opts.Rooms) == 0 && len(opts.Except) == 0
	if toAll {
		c.n = a.nsp.rcpt.count()
	} else {
		a.each(opts.Rooms, opts.Except, c.add)
	}
	n := c.n
	if debuglog.On(debuglog.Adapter) {
		debugAdapter(a.nsp, "broadcast", slog.Any("rooms", opts.Rooms), slog.Any("except", opts.Except),
			slog.Int("recipients", n), slog.Bool("ack", ack != nil))
	}
	if n == 0 {
		c.dispatch(nil, false, nil, nil, 0, nil)
		return 0
	}
	msgs, err := a.nsp.srv.encode(pkt)
	if err != nil {
		a.nsp.srv.logger.Error("socketio: cannot encode broadcast", "namespace", a.nsp.name, "err", err)
		c.discard()
		return 0
	}
	if opts.Flags.NoCompress {
		markNoCompress(msgs)
	}
	p := engineio.NewPrepared(msgs...)
	a.nsp.srv.broadcasts.Add(1)
	text := a.nsp.srv.outgoingText(msgs[0].Data, pkt)
	if toAll {
		a.nsp.rcpt.dispatchAll(c, p, opts.Flags.Volatile, text, pkt.Attachments, pkt.ID)
		return n
	}
	c.dispatch(p, opts.Flags.Volatile, text, pkt.Attachments, pkt.ID, ack)
	return n
}

// localRecipients is implemented by adapters whose recipients are all in
// this process (the MemoryAdapter): BroadcastOperator.Emit asks it first and
// skips serialising the arguments when nobody would receive them. A cluster
// adapter must not implement it: other nodes may have recipients.
type localRecipients interface {
	anyRecipient(opts *BroadcastOptions) bool
}

// anyRecipient reports whether a broadcast with opts reaches at least one
// socket. It stops at the first, so it costs little when there are many.
func (a *MemoryAdapter) anyRecipient(opts *BroadcastOptions) bool {
	if a.rec != nil {
		return true // stored for disconnected sessions even when nobody is connected
	}
	found := false
	a.each(opts.Rooms, opts.Except, func(s *Socket) bool {
		found = s.receivesBroadcasts()
		return !found
	})
	return found
}

// Sockets returns the ids of the sockets in rooms (all when empty).
func (a *MemoryAdapter) Sockets(rs []Room) []string {
	var ids []string
	a.each(rs, nil, func(s *Socket) bool {
		if s.receivesBroadcasts() {
			ids = append(ids, s.id)
		}
		return true
	})
	return ids
}

// SocketRooms returns the rooms of s.
func (a *MemoryAdapter) SocketRooms(s *Socket) []Room {
	var rs []Room
	if s.inOwnRoom() {
		rs = append(rs, s.id)
	}
	return a.ix.RoomsOf(s, rs)
}

// FetchSockets returns the selected local sockets.
func (a *MemoryAdapter) FetchSockets(opts *BroadcastOptions) ([]RemoteSocket, error) {
	var out []RemoteSocket
	for _, s := range a.members(opts) {
		out = append(out, s)
	}
	return out, nil
}

// members snapshots the selected connected sockets.
func (a *MemoryAdapter) members(opts *BroadcastOptions) []*Socket {
	var out []*Socket
	a.each(opts.Rooms, opts.Except, func(s *Socket) bool {
		if s.receivesBroadcasts() {
			out = append(out, s)
		}
		return true
	})
	return out
}

// AddSockets makes the selected sockets join rooms.
func (a *MemoryAdapter) AddSockets(opts *BroadcastOptions, rs []Room) {
	for _, s := range a.members(opts) {
		s.Join(rs...)
	}
}

// DelSockets makes the selected sockets leave rooms.
func (a *MemoryAdapter) DelSockets(opts *BroadcastOptions, rs []Room) {
	for _, s := range a.members(opts) {
		for _, r := range rs {
			s.Leave(r)
		}
	}
}

// DisconnectSockets disconnects the selected sockets.
func (a *MemoryAdapter) DisconnectSockets(opts *BroadcastOptions, close bool) {
	for _, s := range a.members(opts) {
		s.Disconnect(close)
	}
}

// ServerSideEmit has no other node to reach: ack, if given, is called at once
// with no responses (on a new goroutine).
func (a *MemoryAdapter) ServerSideEmit(data []byte, ack func(err error, responses []Args)) error {
	if ack != nil {
		go ack(nil, nil)
	}
	return nil
}

// ServerCount is 1.
func (a *MemoryAdapter) ServerCount() int { return 1 }

// Len returns the number of sockets in room (0 when it does not exist).
func (a *MemoryAdapter) Len(room Room) int {
	n := a.ix.Len(room)
	if s := a.nsp.socketByID(room); s != nil && s.inOwnRoom() {
		n++
	}
	return n
}
