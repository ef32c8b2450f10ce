package redis

import (
	"encoding/json"

	"github.com/sio-fast/sio-fast/internal/redisproto"
	"github.com/sio-fast/sio-fast/socketio"
	"github.com/sio-fast/sio-fast/socketio/parser"
)

// onRequest handles a message of the request channel, as Node's onrequest:
// JSON when it starts with '{', MessagePack otherwise.
func (a *Adapter) onRequest(payload []byte) {
	req, err := redisproto.DecodeRequest(payload)
	if err != nil {
		a.drop(a.ch.Request, "malformed request", err)
		return
	}
	switch req.Type {
	case redisproto.TypeSockets:
		if !a.pending.Has(req.RequestID) {
			ids := a.mem.Sockets(roomsOf(req.Rooms))
			a.respond(req, redisproto.AppendSocketsResponse(nil, req.RequestID, ids))
		}
	case redisproto.TypeAllRooms:
		if !a.pending.Has(req.RequestID) {
			a.respond(req, redisproto.AppendAllRoomsResponse(nil, req.RequestID, a.mem.Rooms()))
		}
	case redisproto.TypeRemoteJoin, redisproto.TypeRemoteLeave, redisproto.TypeRemoteDisconnect:
		a.onRemoteSockets(req)
	case redisproto.TypeRemoteFetch:
		if !a.pending.Has(req.RequestID) && req.Opts != nil {
			a.respond(req, redisproto.AppendFetchResponse(nil, req.RequestID, a.localSocketsJSON(optsOf(req.Opts))))
		}
	case redisproto.TypeServerSideEmit:
		a.onServerSideEmit(req)
	case redisproto.TypeBroadcast:
		a.onBroadcastWithAck(req)
	default:
		a.drop(a.ch.Request, "unknown request type", nil)
	}
}

func roomsOf(rs redisproto.Rooms) []socketio.Room { return []socketio.Room(rs) }

func optsOf(o *redisproto.RequestOpts) *socketio.BroadcastOptions {
	return &socketio.BroadcastOptions{Rooms: roomsOf(o.Rooms), Except: roomsOf(o.Except)}
}

// respond publishes a response on the shared response channel, or on the
// requester's own one with PublishOnSpecificResponseChannel.
func (a *Adapter) respond(req *redisproto.Request, body []byte) {
	ch := a.ch.Response
	if a.opts.PublishOnSpecificResponseChannel {
		ch = a.ch.SpecificResponse(req.UID)
	}
	a.publish(ch, body)
}

// onRemoteSockets applies socketsJoin/socketsLeave/disconnectSockets. The
// modern form (opts) is applied on receipt, this node's own requests
// included (the sender relies on it, as Node's does); the legacy form
// targets one socket by id and is answered.
func (a *Adapter) onRemoteSockets(req *redisproto.Request) {
	if req.Opts != nil {
		opts := optsOf(req.Opts)
		switch req.Type {
		case redisproto.TypeRemoteJoin:
			a.mem.AddSockets(opts, roomsOf(req.Rooms))
		case redisproto.TypeRemoteLeave:
			a.mem.DelSockets(opts, roomsOf(req.Rooms))
		default:
			a.mem.DisconnectSockets(opts, req.Close != nil && *req.Close)
		}
		return
	}
	s := a.nsp.Socket(req.SID)
	if s == nil {
		return
	}
	switch req.Type {
	case redisproto.TypeRemoteJoin:
		s.Join(req.Room)
	case redisproto.TypeRemoteLeave:
		s.Leave(req.Room)
	default:
		s.Disconnect(req.Close != nil && *req.Close)
	}
	a.respond(req, append(append([]byte(`{"requestId":`), jsonString(req.RequestID)...), '}'))
}

func jsonString(s string) []byte { return parser.AppendString(nil, s) }

// onServerSideEmit runs the namespace's server-side handler; with a
// request id, its first ack value is sent back on the shared response
// channel (always that one, as Node does).
func (a *Adapter) onServerSideEmit(req *redisproto.Request) {
	if req.UID == a.uid || len(req.Data) == 0 {
		return
	}
	var reply func(socketio.Args)
	if req.RequestID != "" {
		id := req.RequestID
		reply = func(args socketio.Args) {
			a.publish(a.ch.Response, redisproto.AppendServerSideEmitResponse(nil, id, firstArg(args)))
		}
	}
	if err := a.nsp.DeliverServerSideEmit(req.Data, req.Attachments, reply); err != nil {
		a.drop(a.ch.Request, "malformed server-side emit", err)
	}
}

// firstArg is the raw JSON of the first value of args, nil when none.
func firstArg(args socketio.Args) json.RawMessage {
	if args.Len() == 0 {
		return nil
	}
	return args.Raw(0)
}

// onBroadcastWithAck runs another node's broadcast with ack on the local
// sockets with a local ack id, and answers with the local client count and
// then each client's first ack value (MessagePack, binary kept).
func (a *Adapter) onBroadcastWithAck(req *redisproto.Request) {
	if a.acks.get(req.RequestID) != nil {
		return // this node's own request
	}
	if req.Packet == nil || req.Opts == nil || len(req.Packet.Data) == 0 || req.Packet.Data[0] != '[' {
		a.drop(a.ch.Request, "malformed broadcast request", nil)
		return
	}
	id := req.RequestID
	pkt := parser.Packet{Type: parser.Event, Namespace: a.nsp.Name(), ID: a.nsp.NextAckID(), Data: req.Packet.Data, Attachments: req.Attachments}
	a.mem.BroadcastWithAck(&pkt, optsOf(req.Opts),
		func(n int) { a.respond(req, redisproto.AppendClientCount(nil, id, n)) },
		func(args socketio.Args) {
			msg, err := redisproto.AppendBroadcastAck(nil, id, firstArg(args), args.Attachments())
			if err != nil {
				a.log.Error("redis broadcast ack not encodable", "err", err)
				return
			}
			a.respond(req, msg)
		})
}
