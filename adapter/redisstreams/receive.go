package redisstreams

import (
	"encoding/json"
	"unsafe"

	goredis "github.com/redis/go-redis/v9"

	"github.com/sio-fast/sio-fast/adapter/internal/remote"
	"github.com/sio-fast/sio-fast/internal/jsonx"
	"github.com/sio-fast/sio-fast/internal/redisproto"
	"github.com/sio-fast/sio-fast/socketio"
)

// receive handles the ephemeral messages (Pub/Sub: broadcasts with ack,
// fetchSockets, serverSideEmit, and every response) until Close. go-redis
// reconnects and resubscribes by itself; what is published meanwhile is
// lost, as with Node's adapter.
func (a *Adapter) receive(ps *goredis.PubSub) {
	defer ps.Close()
	ch := ps.Channel()
	for {
		select {
		case <-a.ctx.Done():
			return
		case msg, ok := <-ch:
			if !ok {
				return
			}
			payload := unsafe.Slice(unsafe.StringData(msg.Payload), len(msg.Payload)) // read-only view
			m, err := decodePubSub(payload)
			if err != nil {
				a.drop(msg.Channel, "", err)
				continue
			}
			if m.UID == a.uid || m.Nsp != a.nsp.Name() {
				continue // our own request, or another namespace's
			}
			if err := a.onEphemeral(m); err != nil {
				a.drop(msg.Channel, "", err)
			}
		}
	}
}

// onEphemeral runs a request of another node or records a response to
// one of ours (ClusterAdapter.onMessage / onResponse).
func (a *Adapter) onEphemeral(m *message) error {
	switch m.Type {
	case redisproto.ClusterBroadcast:
		var b broadcastJSON
		if err := jsonx.Unmarshal(m.Data, &b); err != nil {
			return err
		}
		if b.RequestID != nil {
			a.broadcastForAck(m.UID, *b.RequestID, &b, m.Atts)
		}
	case redisproto.ClusterFetchSockets:
		var f fetchJSON
		if err := jsonx.Unmarshal(m.Data, &f); err != nil {
			return err
		}
		sockets, err := remote.LocalSocketsJSON(a.mem, f.Opts.options())
		if err != nil {
			a.log.Error("redis streams fetchSockets answer not encodable", "err", err)
		}
		a.respond(m.UID, redisproto.ClusterFetchSocketsResponse, responseJSON{RequestID: f.RequestID, Sockets: sockets}, nil)
	case redisproto.ClusterServerSideEmit:
		var s serverSideEmitJSON
		if err := jsonx.Unmarshal(m.Data, &s); err != nil {
			return err
		}
		var reply func(socketio.Args)
		if s.RequestID != nil {
			id := *s.RequestID
			reply = func(args socketio.Args) {
				a.respond(m.UID, redisproto.ClusterServerSideEmitResponse, responseJSON{RequestID: id, Packet: firstArg(args)}, args.Attachments())
			}
		}
		return a.nsp.DeliverServerSideEmit(s.Packet, m.Atts, reply)
	case redisproto.ClusterFetchSocketsResponse, redisproto.ClusterServerSideEmitResponse, redisproto.ClusterBroadcastClientCount, redisproto.ClusterBroadcastAck:
		var r responseJSON
		if err := jsonx.Unmarshal(m.Data, &r); err != nil {
			return err
		}
		a.onResponse(m.Type, &r, m.Atts)
	}
	return nil
}

// broadcastForAck runs another node's broadcast with ack on the local
// sockets and sends back the client count and every answer.
func (a *Adapter) broadcastForAck(requester, requestID string, b *broadcastJSON, atts [][]byte) {
	pkt, opts := b.event(a.nsp.Name(), atts), b.Opts.options()
	pkt.ID = a.nsp.NextAckID()
	a.mem.BroadcastWithAck(&pkt, opts, func(n int) {
		a.respond(requester, redisproto.ClusterBroadcastClientCount, responseJSON{RequestID: requestID, ClientCount: &n}, nil)
	}, func(args socketio.Args) {
		a.respond(requester, redisproto.ClusterBroadcastAck, responseJSON{RequestID: requestID, Packet: firstArg(args)}, args.Attachments())
	})
}

// respond publishes a response on the requester's own channel.
func (a *Adapter) respond(requester string, typ int, r responseJSON, atts [][]byte) {
	j, err := jsonx.Marshal(r)
	if err != nil {
		a.log.Error("redis streams response not encodable", "type", typ, "err", err)
		return
	}
	a.publish(a.public+requester+"#", &message{UID: a.uid, Nsp: a.nsp.Name(), Type: typ, Data: j, Atts: atts})
}

// firstArg is the value an acknowledgement sends back: Node's adapters
// forward only the first argument (null when there is none).
func firstArg(args socketio.Args) json.RawMessage {
	if args.Len() == 0 {
		return json.RawMessage("null")
	}
	return args.Raw(0)
}
