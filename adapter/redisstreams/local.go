package redisstreams

import (
	"github.com/sio-fast/sio-fast/internal/jsonx"
	"github.com/sio-fast/sio-fast/internal/redisproto"
	"github.com/sio-fast/sio-fast/socketio"
	"github.com/sio-fast/sio-fast/socketio/parser"
)

// The room index is the local MemoryAdapter's.

// AddAll adds s to rooms (local).
func (a *Adapter) AddAll(s *socketio.Socket, rooms []socketio.Room) { a.mem.AddAll(s, rooms) }

// Del removes s from room (local).
func (a *Adapter) Del(s *socketio.Socket, room socketio.Room) { a.mem.Del(s, room) }

// DelAll removes s from every room (local).
func (a *Adapter) DelAll(s *socketio.Socket) { a.mem.DelAll(s) }

// Sockets returns the ids of the local sockets in rooms.
func (a *Adapter) Sockets(rooms []socketio.Room) []string { return a.mem.Sockets(rooms) }

// CountLocal returns how many local sockets a broadcast with opts reaches
// (socketio.LocalCounter). Any goroutine.
func (a *Adapter) CountLocal(opts *socketio.BroadcastOptions) int { return a.mem.CountLocal(opts) }

// SocketRooms returns the rooms of the local socket s.
func (a *Adapter) SocketRooms(s *socketio.Socket) []socketio.Room { return a.mem.SocketRooms(s) }

// Len returns the number of local sockets in room.
func (a *Adapter) Len(room socketio.Room) int { return a.mem.Len(room) }

// Rooms returns the rooms with local sockets.
func (a *Adapter) Rooms() []socketio.Room { return a.mem.Rooms() }

// Broadcast appends pkt to the stream; every node, this one included,
// delivers it when it reads the entry, with the entry id as offset when
// recovery is on. Local broadcasts are delivered at once. It never waits
// for Redis; while Redis is unreachable broadcasts are lost (counted), as
// with Node's adapter.
func (a *Adapter) Broadcast(pkt *parser.Packet, opts *socketio.BroadcastOptions) {
	if opts.Flags.Local {
		a.mem.Deliver(pkt, opts)
		return
	}
	w := wireOpts(opts)
	w.Flags.Timeout = 0
	a.durable(redisproto.ClusterBroadcast, broadcastJSON{Packet: packetJSON{Type: 2, Data: pkt.Data, Nsp: a.nsp.Name()}, Opts: w}, pkt.Attachments)
}

// AddSockets makes the selected sockets of every node join rooms.
func (a *Adapter) AddSockets(opts *socketio.BroadcastOptions, rooms []socketio.Room) {
	if opts.Flags.Local {
		a.mem.AddSockets(opts, rooms)
		return
	}
	a.durable(redisproto.ClusterSocketsJoin, roomsJSON{Opts: wireOpts(opts), Rooms: rooms}, nil)
}

// DelSockets makes the selected sockets of every node leave rooms.
func (a *Adapter) DelSockets(opts *socketio.BroadcastOptions, rooms []socketio.Room) {
	if opts.Flags.Local {
		a.mem.DelSockets(opts, rooms)
		return
	}
	a.durable(redisproto.ClusterSocketsLeave, roomsJSON{Opts: wireOpts(opts), Rooms: rooms}, nil)
}

// DisconnectSockets disconnects the selected sockets of every node.
func (a *Adapter) DisconnectSockets(opts *socketio.BroadcastOptions, close bool) {
	if opts.Flags.Local {
		a.mem.DisconnectSockets(opts, close)
		return
	}
	a.durable(redisproto.ClusterDisconnectSockets, disconnectJSON{Opts: wireOpts(opts), Close: close}, nil)
}

// durable queues a stream entry; every node applies it when read.
func (a *Adapter) durable(typ int, data any, atts [][]byte) {
	j, err := jsonx.Marshal(data)
	if err != nil {
		a.log.Error("redis streams message not encodable", "type", typ, "err", err)
		return
	}
	a.xadd(&message{UID: a.uid, Nsp: a.nsp.Name(), Type: typ, Data: j, Atts: atts})
}
