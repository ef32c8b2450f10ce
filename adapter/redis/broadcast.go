package redis

import (
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/sio-fast/sio-fast/internal/redisproto"
	"github.com/sio-fast/sio-fast/socketio"
	"github.com/sio-fast/sio-fast/socketio/parser"
)

// wireOpts converts socketio options to the wire form: rooms and except
// without duplicates (Node keeps them in Sets), flags as Node names them.
func wireOpts(o *socketio.BroadcastOptions) redisproto.Opts {
	w := redisproto.Opts{Rooms: dedupe(o.Rooms), Except: dedupe(o.Except)}
	w.Flags.Volatile = o.Flags.Volatile
	if o.Flags.NoCompress {
		no := false
		w.Flags.Compress = &no
	}
	w.Flags.Timeout = o.Flags.Timeout.Milliseconds()
	return w
}

func dedupe(rs []socketio.Room) []string {
	if len(rs) < 2 {
		return rs
	}
	out := make([]string, 0, len(rs))
	for _, r := range rs {
		if !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

// Broadcast publishes pkt to the other nodes (unless Local) and delivers it
// to the local sockets. It never waits for Redis.
func (a *Adapter) Broadcast(pkt *parser.Packet, opts *socketio.BroadcastOptions) {
	if !opts.Flags.Local {
		m := redisproto.Broadcast{UID: a.uid, Nsp: a.nsp.Name(), Data: pkt.Data, Attachments: pkt.Attachments, Opts: wireOpts(opts)}
		m.Opts.Flags.Timeout = 0
		if msg, err := redisproto.AppendBroadcast(nil, &m, redisproto.AdapterOrder); err != nil {
			a.log.Error("redis broadcast not encodable", "err", err)
		} else {
			a.publish(a.ch.BroadcastChannel(m.Opts.Rooms), msg)
		}
	}
	a.mem.Broadcast(pkt, opts)
}

// BroadcastWithAck publishes a BROADCAST request (MessagePack) whose
// answers (client counts and acks of the other nodes) reach clientCount and
// ack, then broadcasts locally. The request is forgotten after the ack
// timeout, as in Node.
func (a *Adapter) BroadcastWithAck(pkt *parser.Packet, opts *socketio.BroadcastOptions, clientCount func(int), ack func(socketio.Args)) {
	if !opts.Flags.Local {
		id := randomID(6)
		m := redisproto.Broadcast{UID: a.uid, Nsp: a.nsp.Name(), Data: pkt.Data, Attachments: pkt.Attachments, Opts: wireOpts(opts)}
		if msg, err := redisproto.AppendBroadcastRequest(nil, a.uid, id, &m); err != nil {
			a.log.Error("redis broadcast not encodable", "err", err)
		} else {
			a.acks.add(id, &ackRequest{clientCount: clientCount, ack: ack}, opts.Flags.Timeout)
			a.publish(a.ch.Request, msg)
		}
	}
	a.mem.BroadcastWithAck(pkt, opts, clientCount, ack)
}

// onBroadcast handles a message of the broadcast pattern: drop it when it
// names a room this node does not have (before decoding, as Node does),
// when it is this node's own, or of another namespace; otherwise deliver it
// to the local sockets, encoded once for all of them.
func (a *Adapter) onBroadcast(channel string, payload []byte) {
	if !strings.HasPrefix(channel, a.ch.Broadcast) {
		return // another channel matching the pattern
	}
	// Node: room = channel.slice(prefix.length, -1), so the last character
	// is dropped whatever it is.
	if rest := channel[len(a.ch.Broadcast):]; len(rest) > 1 && a.mem.Len(rest[:len(rest)-1]) == 0 {
		return
	}
	m := &a.scratch
	m.Attachments = nil // the local fan-out may keep them (outgoing listeners)
	if err := redisproto.DecodeBroadcast(payload, m); err != nil {
		a.drop(channel, "malformed broadcast", err)
		return
	}
	if m.UID == a.uid || m.Nsp != a.nsp.Name() || a.nsp.NumSockets() == 0 {
		return // own, another namespace's, or nobody here to receive it
	}
	a.deliver(m)
}

// deliver runs the local part of a remote broadcast.
func (a *Adapter) deliver(m *redisproto.Broadcast) {
	pkt := parser.Packet{Type: parser.Event, Namespace: a.nsp.Name(), ID: -1, Data: m.Data, Attachments: m.Attachments}
	opts := socketio.BroadcastOptions{Rooms: m.Opts.Rooms, Except: m.Opts.Except}
	opts.Flags.Volatile = m.Opts.Flags.Volatile
	opts.Flags.NoCompress = m.Opts.Flags.Compress != nil && !*m.Opts.Flags.Compress
	opts.Flags.Binary = len(m.Attachments) > 0
	a.mem.Broadcast(&pkt, &opts)
}

// ackRequest is a broadcast with ack this node published.
type ackRequest struct {
	clientCount func(int)
	ack         func(socketio.Args)
}

// ackRequests are this node's broadcasts with ack, by request id.
type ackRequests struct {
	mu sync.Mutex
	m  map[string]*ackRequest
}

func (r *ackRequests) init() { r.m = map[string]*ackRequest{} }

func (r *ackRequests) add(id string, req *ackRequest, timeout time.Duration) {
	r.mu.Lock()
	r.m[id] = req
	r.mu.Unlock()
	time.AfterFunc(timeout, func() { r.remove(id) })
}

func (r *ackRequests) get(id string) *ackRequest {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.m[id]
}

func (r *ackRequests) remove(id string) {
	r.mu.Lock()
	delete(r.m, id)
	r.mu.Unlock()
}
