package redis

import (
	"github.com/sio-fast/sio-fast/internal/redisproto"
	"github.com/sio-fast/sio-fast/socketio"
)

// The room bookkeeping is local: each node knows its own sockets' rooms.
// The MemoryAdapter is held, not embedded, so that none of its methods
// (nor its local-only shortcuts) stand in for the cluster's by accident.

// AddAll adds s to rooms. Any goroutine.
func (a *Adapter) AddAll(s *socketio.Socket, rooms []socketio.Room) { a.mem.AddAll(s, rooms) }

// Del removes s from room. Any goroutine.
func (a *Adapter) Del(s *socketio.Socket, room socketio.Room) { a.mem.Del(s, room) }

// DelAll removes s from all its rooms. Any goroutine.
func (a *Adapter) DelAll(s *socketio.Socket) { a.mem.DelAll(s) }

// Sockets returns the ids of the local sockets in rooms. Any goroutine.
func (a *Adapter) Sockets(rooms []socketio.Room) []string { return a.mem.Sockets(rooms) }

// CountLocal returns how many local sockets a broadcast with opts reaches
// (socketio.LocalCounter). Any goroutine.
func (a *Adapter) CountLocal(opts *socketio.BroadcastOptions) int { return a.mem.CountLocal(opts) }

// SocketRooms returns the rooms of the local socket s. Any goroutine.
func (a *Adapter) SocketRooms(s *socketio.Socket) []socketio.Room { return a.mem.SocketRooms(s) }

// Len returns the number of local sockets in room. Any goroutine.
func (a *Adapter) Len(room socketio.Room) int { return a.mem.Len(room) }

// Rooms returns the rooms of the local sockets. Any goroutine.
func (a *Adapter) Rooms() []socketio.Room { return a.mem.Rooms() }

// AddSockets makes the selected sockets of every node join rooms: a
// REMOTE_JOIN request that every node, this one included, applies when it
// receives it (Node's behaviour: nothing happens without Redis). Local
// applies it here only, at once.
func (a *Adapter) AddSockets(opts *socketio.BroadcastOptions, rooms []socketio.Room) {
	if opts.Flags.Local {
		a.mem.AddSockets(opts, rooms)
		return
	}
	w := wireOpts(opts)
	a.publish(a.ch.Request, redisproto.AppendSocketsRequest(nil, a.uid, redisproto.TypeRemoteJoin, w.Rooms, w.Except, rooms))
}

// DelSockets is AddSockets for leaving (REMOTE_LEAVE).
func (a *Adapter) DelSockets(opts *socketio.BroadcastOptions, rooms []socketio.Room) {
	if opts.Flags.Local {
		a.mem.DelSockets(opts, rooms)
		return
	}
	w := wireOpts(opts)
	a.publish(a.ch.Request, redisproto.AppendSocketsRequest(nil, a.uid, redisproto.TypeRemoteLeave, w.Rooms, w.Except, rooms))
}

// DisconnectSockets disconnects the selected sockets of every node
// (REMOTE_DISCONNECT, applied on receipt like AddSockets).
func (a *Adapter) DisconnectSockets(opts *socketio.BroadcastOptions, close bool) {
	if opts.Flags.Local {
		a.mem.DisconnectSockets(opts, close)
		return
	}
	w := wireOpts(opts)
	a.publish(a.ch.Request, redisproto.AppendDisconnectRequest(nil, a.uid, w.Rooms, w.Except, close))
}
