package redisstreams

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/sio-fast/sio-fast/adapter/internal/remote"
	"github.com/sio-fast/sio-fast/internal/jsonx"
	"github.com/sio-fast/sio-fast/internal/redisproto"
	"github.com/sio-fast/sio-fast/socketio"
	"github.com/sio-fast/sio-fast/socketio/parser"
)

// pending is a request of this node waiting for the other nodes' answers
// (fetchSockets, serverSideEmit with ack) or a broadcast with ack
// collecting client counts and acknowledgements.
type pending struct {
	expected int // fetch: answers expected
	got      int
	sockets  []socketio.RemoteSocket
	done     chan struct{}       // fetch: closed when complete
	emit     *remote.Replies     // serverSideEmit
	count    func(int)           // broadcast with ack
	ack      func(socketio.Args) // broadcast with ack
}

// ErrFetchTimeout is Node's error when not every node answered a
// fetchSockets in time ("timeout reached: only X responses received out
// of Y").
var ErrFetchTimeout = errors.New("timeout reached")

// ServerCount returns the number of nodes subscribed to the namespace's
// public channel (PUBSUB NUMSUB), this one included, as last refreshed
// (every second; 1 until Redis first answers). It never blocks.
func (a *Adapter) ServerCount() int { return int(a.count.Load()) }

// countLoop refreshes the server count every second until Close.
func (a *Adapter) countLoop() {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		if n, err := a.numSub(); err == nil && n > 0 {
			a.count.Store(int64(n))
		}
		select {
		case <-t.C:
		case <-a.ctx.Done():
			return
		}
	}
}

// numSub asks Redis how many nodes subscribe to the namespace. Close ends
// it (a.ctx): with Redis unreachable it would otherwise hold Close for
// RequestsTimeout, waiting on go-redis's dial.
func (a *Adapter) numSub() (int, error) {
	ctx, cancel := context.WithTimeout(a.ctx, a.opts.RequestsTimeout)
	defer cancel()
	m, err := a.client.PubSubNumSub(ctx, a.public).Result()
	return int(m[a.public]), err
}

// FetchSockets returns the local sockets selected by opts and, unless
// Local, those of the other nodes as proxies. It blocks until every node
// answered or RequestsTimeout (opts' Timeout when set) passed; then, like
// Node, it fails with "timeout reached: only X responses received out of
// Y" (wrapping ErrFetchTimeout) and no sockets.
func (a *Adapter) FetchSockets(opts *socketio.BroadcastOptions) ([]socketio.RemoteSocket, error) {
	local, n, err := remote.FetchLocal(a.mem, opts, a.numSub)
	if n <= 1 {
		return local, err
	}
	id := newUID()
	r := &pending{expected: n - 1, sockets: local, done: make(chan struct{})}
	a.pending.Add(id, r)
	j, _ := jsonx.Marshal(fetchJSON{Opts: wireOpts(opts), RequestID: id})
	a.publish(a.public, &message{UID: a.uid, Nsp: a.nsp.Name(), Type: redisproto.ClusterFetchSockets, Data: j})
	t := time.NewTimer(remote.RequestTimeout(opts, a.opts.RequestsTimeout))
	defer t.Stop()
	select {
	case <-r.done:
		return r.sockets, nil
	case <-t.C:
		if a.pending.Take(id) == nil {
			<-r.done // completed at the same instant
			return r.sockets, nil
		}
		// Taken: no answer can reach r any more.
		return nil, fmt.Errorf("%w: only %d responses received out of %d", ErrFetchTimeout, r.got, r.expected)
	}
}

// ServerSideEmit publishes data (the JSON array [event, ...args]) to the
// other nodes. With ack, the number of other nodes is asked first (on a
// goroutine: this never blocks) and ack gets their answers, or after
// RequestsTimeout Node's "timeout reached: only X responses received out
// of Y" with the answers so far.
func (a *Adapter) ServerSideEmit(data []byte, ack func(err error, responses []socketio.Args)) error {
	if ack == nil {
		a.publishServerSideEmit(data, nil, "")
		return nil
	}
	data = append([]byte(nil), data...)
	go a.serverSideEmitWithAck(data, ack)
	return nil
}

func (a *Adapter) publishServerSideEmit(data []byte, atts [][]byte, requestID string) {
	s := serverSideEmitJSON{Packet: data}
	if requestID != "" {
		s.RequestID = &requestID
	}
	j, err := jsonx.Marshal(s)
	if err != nil {
		a.log.Error("redis streams serverSideEmit not encodable", "err", err)
		return
	}
	a.publish(a.public, &message{UID: a.uid, Nsp: a.nsp.Name(), Type: redisproto.ClusterServerSideEmit, Data: j, Atts: atts})
}

func (a *Adapter) serverSideEmitWithAck(data []byte, ack func(error, []socketio.Args)) {
	e := remote.EmitWithAck[pending]{
		Requests: &a.pending, NumSub: a.numSub, NewID: newUID, Timeout: a.opts.RequestsTimeout,
		Record:  func(r *remote.Replies) *pending { return &pending{emit: r} },
		Publish: func(id string) { a.publishServerSideEmit(data, nil, id) },
	}
	e.Run(ack)
}

// BroadcastWithAck publishes pkt to the other nodes over Pub/Sub (unless
// Local) and delivers it locally; each node reports its client count and
// every acknowledgement. The request is forgotten after the timeout.
func (a *Adapter) BroadcastWithAck(pkt *parser.Packet, opts *socketio.BroadcastOptions, clientCount func(int), ack func(socketio.Args)) {
	if !opts.Flags.Local {
		id := newUID()
		a.pending.AddExpiring(id, &pending{count: clientCount, ack: ack}, max(opts.Flags.Timeout, time.Second), func(*pending) {})
		b := broadcastJSON{Packet: packetJSON{Type: 2, Data: pkt.Data, Nsp: a.nsp.Name()}, Opts: wireOpts(opts), RequestID: &id}
		if j, err := jsonx.Marshal(b); err != nil {
			a.log.Error("redis streams broadcast not encodable", "err", err)
		} else {
			a.publish(a.public, &message{UID: a.uid, Nsp: a.nsp.Name(), Type: redisproto.ClusterBroadcast, Data: j, Atts: pkt.Attachments})
		}
	}
	a.mem.BroadcastWithAck(pkt, opts, clientCount, ack)
}

// onResponse records one answer to a request of this node.
func (a *Adapter) onResponse(typ int, res *responseJSON, atts [][]byte) {
	r, complete := a.pending.Answer(res.RequestID, func(r *pending) bool {
		switch {
		case r.count != nil:
			return false // broadcast with ack: kept until its timeout, answered below
		case r.emit == nil:
			return a.addSockets(r, typ, res)
		case typ == redisproto.ClusterServerSideEmitResponse:
			return r.emit.Add(argsOf(res, atts))
		default:
			return r.emit.Skip() // another type of answer to the id: counted, without a value
		}
	})
	switch {
	case r == nil: // not ours, or already complete
	case r.count != nil: // its callbacks run outside the lock, as the others'
		switch {
		case typ == redisproto.ClusterBroadcastClientCount && res.ClientCount != nil:
			r.count(*res.ClientCount)
		case typ == redisproto.ClusterBroadcastAck:
			r.ack(argsOf(res, atts))
		}
	case !complete:
	case r.emit != nil:
		r.emit.Done()
	case r.done != nil:
		close(r.done)
	}
}

// addSockets records one answer to a fetchSockets (pending lock held) and
// reports whether every node has answered. Any answer to the id counts.
func (a *Adapter) addSockets(r *pending, typ int, res *responseJSON) bool {
	r.got++
	if typ == redisproto.ClusterFetchSocketsResponse {
		var sockets []remote.SocketJSON
		if jsonx.Unmarshal(res.Sockets, &sockets) == nil {
			for i := range sockets {
				r.sockets = append(r.sockets, remote.NewSocket(a.nsp, &sockets[i]))
			}
		}
	}
	return r.got == r.expected
}

// argsOf wraps the one value of an answer as Args.
func argsOf(res *responseJSON, atts [][]byte) socketio.Args {
	if len(res.Packet) == 0 {
		return socketio.NewArgs(atts)
	}
	return socketio.NewArgs(atts, res.Packet)
}
