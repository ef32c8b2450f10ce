package redis

import (
	"unicode/utf16"

	"github.com/sio-fast/sio-fast/internal/redisproto"
	"github.com/sio-fast/sio-fast/socketio"
	"github.com/sio-fast/sio-fast/socketio/parser"
)

// send publishes one ClusterAdapter message (JSON, or MessagePack when
// data carries binary, as Node's encode). Never blocks.
func (a *Sharded) send(channel string, typ int, data []byte, atts [][]byte) {
	msg, err := redisproto.AppendCluster(nil, a.uid, a.nsp.Name(), typ, data, atts)
	if err != nil {
		a.log.Error("redis message not encodable", "type", typ, "err", err)
		return
	}
	a.publish(channel, msg)
}

// looksLikeASocketID is Node's test: a room of 20 (UTF-16) characters.
func looksLikeASocketID(room string) bool {
	n := 0
	for _, r := range room {
		n += utf16.RuneLen(r)
	}
	return n == 20
}

// broadcastChannel is Node's computeChannel: a room's own channel for a
// broadcast without ack to exactly one room (not a socket id in dynamic
// mode), the namespace channel otherwise.
func (a *Sharded) broadcastChannel(rooms []string, withAck bool) string {
	if !withAck && len(rooms) == 1 &&
		(a.mode == SubscribeDynamic && !looksLikeASocketID(rooms[0]) || a.mode == SubscribeDynamicPrivate) {
		return a.dynamicChannel(rooms[0])
	}
	return a.channel
}

// Broadcast publishes pkt to the other nodes (unless Local) and delivers it
// to the local sockets. It never waits for Redis.
func (a *Sharded) Broadcast(pkt *parser.Packet, opts *socketio.BroadcastOptions) {
	if !opts.Flags.Local {
		w := wireOpts(opts)
		w.Flags.Timeout = 0
		data := redisproto.AppendClusterBroadcastData(nil, pkt.Data, "", &w)
		a.send(a.broadcastChannel(w.Rooms, false), redisproto.ClusterBroadcast, data, pkt.Attachments)
	}
	a.mem.Broadcast(pkt, opts)
}

// BroadcastWithAck publishes a BROADCAST with a request id on the
// namespace channel; the other nodes' client counts and acks reach
// clientCount and ack until the ack timeout. Then it broadcasts locally.
func (a *Sharded) BroadcastWithAck(pkt *parser.Packet, opts *socketio.BroadcastOptions, clientCount func(int), ack func(socketio.Args)) {
	if !opts.Flags.Local {
		id := hexID()
		w := wireOpts(opts)
		a.acks.add(id, &ackRequest{clientCount: clientCount, ack: ack}, opts.Flags.Timeout)
		data := redisproto.AppendClusterBroadcastData(nil, pkt.Data, id, &w)
		a.send(a.channel, redisproto.ClusterBroadcast, data, pkt.Attachments)
	}
	a.mem.BroadcastWithAck(pkt, opts, clientCount, ack)
}

// AddSockets makes the selected sockets of every node join rooms
// (SOCKETS_JOIN to the others, applied here at once).
func (a *Sharded) AddSockets(opts *socketio.BroadcastOptions, rooms []socketio.Room) {
	if !opts.Flags.Local {
		w := wireOpts(opts)
		a.send(a.channel, redisproto.ClusterSocketsJoin, redisproto.AppendClusterRequestData(nil, &w, "", nonNil(rooms), nil), nil)
	}
	a.mem.AddSockets(opts, rooms)
}

// DelSockets is AddSockets for leaving (SOCKETS_LEAVE).
func (a *Sharded) DelSockets(opts *socketio.BroadcastOptions, rooms []socketio.Room) {
	if !opts.Flags.Local {
		w := wireOpts(opts)
		a.send(a.channel, redisproto.ClusterSocketsLeave, redisproto.AppendClusterRequestData(nil, &w, "", nonNil(rooms), nil), nil)
	}
	a.mem.DelSockets(opts, rooms)
}

// DisconnectSockets disconnects the selected sockets of every node
// (DISCONNECT_SOCKETS).
func (a *Sharded) DisconnectSockets(opts *socketio.BroadcastOptions, close bool) {
	if !opts.Flags.Local {
		w := wireOpts(opts)
		a.send(a.channel, redisproto.ClusterDisconnectSockets, redisproto.AppendClusterRequestData(nil, &w, "", nil, &close), nil)
	}
	a.mem.DisconnectSockets(opts, close)
}

func nonNil(rooms []socketio.Room) []string {
	if rooms == nil {
		return []string{}
	}
	return rooms
}
