package redis

import (
	"github.com/sio-fast/sio-fast/adapter/internal/remote"
	"strconv"

	goredis "github.com/redis/go-redis/v9"

	"github.com/sio-fast/sio-fast/internal/jsonx"
	"github.com/sio-fast/sio-fast/internal/redisproto"
	"github.com/sio-fast/sio-fast/socketio"
	"github.com/sio-fast/sio-fast/socketio/parser"
)

// onMessage is Node's onRawMessage: decode (JSON when it starts with '{',
// MessagePack otherwise); the response channel's messages are responses,
// the others go through onMessage's filters (own uid, other namespace).
func (a *Sharded) onMessage(m *goredis.Message) {
	payload, ok := a.payload(m)
	if !ok {
		return
	}
	msg, err := redisproto.DecodeCluster(payload)
	if err != nil {
		a.drop(m.Channel, "malformed message", err)
		return
	}
	d, err := redisproto.DecodeClusterData(msg)
	if err != nil {
		a.drop(m.Channel, "malformed data", err)
		return
	}
	if m.Channel == a.response {
		a.onResponse(msg, d)
		return
	}
	if msg.UID == a.uid || msg.Nsp != a.nsp.Name() {
		return
	}
	a.onClusterMessage(m.Channel, msg, d)
}

func (a *Sharded) onClusterMessage(channel string, msg *redisproto.ClusterMessage, d *redisproto.ClusterData) {
	opts := clusterOpts(d.Opts)
	switch msg.Type {
	case redisproto.ClusterBroadcast:
		a.onBroadcast(channel, msg, d, opts)
	case redisproto.ClusterSocketsJoin:
		a.mem.AddSockets(opts, []socketio.Room(d.Rooms))
	case redisproto.ClusterSocketsLeave:
		a.mem.DelSockets(opts, []socketio.Room(d.Rooms))
	case redisproto.ClusterDisconnectSockets:
		a.mem.DisconnectSockets(opts, d.Close)
	case redisproto.ClusterFetchSockets:
		sockets, err := remote.LocalSocketsJSON(a.mem, opts)
		if err != nil {
			a.log.Error("redis fetchSockets answer not encodable", "err", err)
		}
		a.send(a.responseChannel(msg.UID), redisproto.ClusterFetchSocketsResponse,
			redisproto.AppendClusterResponseData(nil, d.RequestID, "sockets", sockets), nil)
	case redisproto.ClusterServerSideEmit:
		a.onServerSideEmit(channel, msg, d)
	case redisproto.ClusterBroadcastClientCount, redisproto.ClusterBroadcastAck,
		redisproto.ClusterFetchSocketsResponse, redisproto.ClusterServerSideEmitResponse:
		a.onResponse(msg, d)
	case redisproto.ClusterInitialHeartbeat, redisproto.ClusterHeartbeat, redisproto.ClusterAdapterClose:
		// heartbeats are not used by the sharded adapter (server count is SHARDNUMSUB)
	default:
		a.drop(channel, "unknown message type", nil)
	}
}

// responseChannel is the response channel of the node uid.
func (a *Sharded) responseChannel(uid string) string { return a.channel + uid + "#" }

// clusterOpts is Node's decodeOptions (rooms and except as sets; the
// flags that matter locally).
func clusterOpts(o *redisproto.ClusterOpts) *socketio.BroadcastOptions {
	opts := &socketio.BroadcastOptions{}
	if o == nil {
		return opts
	}
	opts.Rooms, opts.Except = []socketio.Room(o.Rooms), []socketio.Room(o.Except)
	if f := o.Flags; f != nil {
		opts.Flags.Volatile = f.Volatile
		opts.Flags.NoCompress = f.Compress != nil && !*f.Compress
	}
	return opts
}

// onBroadcast delivers another node's broadcast to the local sockets
// (encoded once for all of them); with a request id it answers with the
// local client count and each client's ack on the sender's channel.
func (a *Sharded) onBroadcast(channel string, msg *redisproto.ClusterMessage, d *redisproto.ClusterData, opts *socketio.BroadcastOptions) {
	var p redisproto.ClusterPacket
	if len(d.Packet) == 0 || jsonx.Unmarshal(d.Packet, &p) != nil || len(p.Data) == 0 || p.Data[0] != '[' {
		a.drop(channel, "malformed broadcast", nil)
		return
	}
	opts.Flags.Binary = len(msg.Attachments) > 0
	if d.RequestID == "" {
		pkt := parser.Packet{Type: parser.Event, Namespace: a.nsp.Name(), ID: -1, Data: p.Data, Attachments: msg.Attachments}
		a.mem.Broadcast(&pkt, opts)
		return
	}
	id, to := d.RequestID, a.responseChannel(msg.UID)
	pkt := parser.Packet{Type: parser.Event, Namespace: a.nsp.Name(), ID: a.nsp.NextAckID(), Data: p.Data, Attachments: msg.Attachments}
	a.mem.BroadcastWithAck(&pkt, opts,
		func(n int) {
			a.send(to, redisproto.ClusterBroadcastClientCount,
				redisproto.AppendClusterResponseData(nil, id, "clientCount", strconv.AppendInt(nil, int64(n), 10)), nil)
		},
		func(args socketio.Args) {
			a.send(to, redisproto.ClusterBroadcastAck,
				redisproto.AppendClusterResponseData(nil, id, "packet", firstArg(args)), args.Attachments())
		})
}

// onServerSideEmit runs the namespace's server-side handler; with a
// request id, its first ack value goes back to the sender's channel.
func (a *Sharded) onServerSideEmit(channel string, msg *redisproto.ClusterMessage, d *redisproto.ClusterData) {
	if len(d.Packet) == 0 || d.Packet[0] != '[' {
		a.drop(channel, "malformed server-side emit", nil)
		return
	}
	var reply func(socketio.Args)
	if d.RequestID != "" {
		id, to := d.RequestID, a.responseChannel(msg.UID)
		reply = func(args socketio.Args) {
			a.send(to, redisproto.ClusterServerSideEmitResponse,
				redisproto.AppendClusterResponseData(nil, id, "packet", firstArg(args)), args.Attachments())
		}
	}
	if err := a.nsp.DeliverServerSideEmit(d.Packet, msg.Attachments, reply); err != nil {
		a.drop(channel, "malformed server-side emit", err)
	}
}
