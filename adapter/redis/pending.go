package redis

import (
	"encoding/json"
	"errors"
	"time"

	"github.com/sio-fast/sio-fast/adapter/internal/remote"
	"github.com/sio-fast/sio-fast/internal/jsonx"
	"github.com/sio-fast/sio-fast/internal/redisproto"
	"github.com/sio-fast/sio-fast/socketio"
)

// Node's error strings for requests that did not get every answer in time.
var (
	ErrFetchTimeout    = errors.New("timeout reached while waiting for fetchSockets response")
	ErrAllRoomsTimeout = errors.New("timeout reached while waiting for allRooms response")
)

// pending is a request of this node waiting for the other nodes' answers.
type pending struct {
	typ      int
	numSub   int // fetch/allRooms: nodes expected, this one included
	msgCount int // fetch/allRooms: answers so far, this node counting as one
	sockets  []socketio.RemoteSocket
	rooms    map[string]struct{}
	done     chan struct{}   // fetch/allRooms: closed when complete
	emit     *remote.Replies // serverSideEmit
}

// FetchSockets returns the local sockets selected by opts and, unless
// Local, those of the other nodes as proxies (emit/join/leave/disconnect go
// through Redis). It blocks until every node answered or RequestsTimeout
// passed; then, like Node, it fails with ErrFetchTimeout and no sockets.
func (a *Adapter) FetchSockets(opts *socketio.BroadcastOptions) ([]socketio.RemoteSocket, error) {
	local, n, err := remote.FetchLocal(a.mem, opts, a.numSub)
	if n <= 1 {
		return local, err
	}
	id := randomID(6)
	r := &pending{typ: redisproto.TypeRemoteFetch, numSub: n, msgCount: 1, sockets: local, done: make(chan struct{})}
	w := wireOpts(opts)
	return r.sockets, a.await(id, r, redisproto.AppendFetchRequest(nil, a.uid, id, w.Rooms, w.Except), ErrFetchTimeout)
}

// AllRooms returns the rooms of every node (Node's adapter.allRooms()). It
// blocks like FetchSockets and fails with ErrAllRoomsTimeout.
func (a *Adapter) AllRooms() ([]socketio.Room, error) {
	r := &pending{typ: redisproto.TypeAllRooms, msgCount: 1, rooms: map[string]struct{}{}, done: make(chan struct{})}
	for _, room := range a.mem.Rooms() {
		r.rooms[room] = struct{}{}
	}
	n, err := a.numSub()
	if err != nil {
		return nil, err
	}
	if n > 1 {
		r.numSub = n
		id := randomID(6)
		if err := a.await(id, r, redisproto.AppendAllRoomsRequest(nil, a.uid, id), ErrAllRoomsTimeout); err != nil {
			return nil, err
		}
	}
	out := make([]socketio.Room, 0, len(r.rooms))
	for room := range r.rooms {
		out = append(out, room)
	}
	return out, nil
}

// await registers r, publishes the request and waits for its completion
// or RequestsTimeout (then timeoutErr).
func (a *Adapter) await(id string, r *pending, request []byte, timeoutErr error) error {
	a.pending.Add(id, r)
	a.publish(a.ch.Request, request)
	t := time.NewTimer(a.opts.RequestsTimeout)
	defer t.Stop()
	select {
	case <-r.done:
		return nil
	case <-t.C:
		if a.pending.Take(id) == nil {
			<-r.done // completed at the same instant
			return nil
		}
		return timeoutErr
	}
}

// ServerSideEmit publishes data (the JSON array [event, ...args]) to the
// other nodes. With ack, the number of other nodes is asked first (on a
// goroutine: this never blocks) and ack gets their answers, or after
// RequestsTimeout Node's "timeout reached: only X responses received out
// of Y" with the answers so far.
func (a *Adapter) ServerSideEmit(data []byte, ack func(err error, responses []socketio.Args)) error {
	if ack == nil {
		a.publish(a.ch.Request, redisproto.AppendServerSideEmit(nil, a.uid, "", data))
		return nil
	}
	go a.serverSideEmitWithAck(data, ack)
	return nil
}

func (a *Adapter) serverSideEmitWithAck(data []byte, ack func(error, []socketio.Args)) {
	e := remote.EmitWithAck[pending]{
		Requests: &a.pending, NumSub: a.numSub, NewID: func() string { return randomID(6) }, Timeout: a.opts.RequestsTimeout,
		Record:  func(r *remote.Replies) *pending { return &pending{typ: redisproto.TypeServerSideEmit, emit: r} },
		Publish: func(id string) { a.publish(a.ch.Request, redisproto.AppendServerSideEmit(nil, a.uid, id, data)) },
	}
	e.Run(ack)
}

// onResponse handles a message of the response channels, as Node's
// onresponse.
func (a *Adapter) onResponse(payload []byte) {
	res, err := redisproto.DecodeResponse(payload)
	if err != nil {
		a.drop(a.ch.Response, "malformed response", err)
		return
	}
	if ar := a.acks.get(res.RequestID); ar != nil {
		switch res.Type {
		case redisproto.TypeBroadcastClientCount:
			if res.ClientCount != nil {
				ar.clientCount(*res.ClientCount)
			}
		case redisproto.TypeBroadcastAck:
			ar.ack(argsOf(res.Packet, res.Attachments))
		}
		return
	}
	r, complete := a.pending.Answer(res.RequestID, func(r *pending) bool { return a.addResponse(r, res) })
	if !complete {
		return // not ours, already complete, or waiting for more
	}
	if r.emit != nil {
		r.emit.Done()
		return
	}
	close(r.done)
}

// addResponse records one answer (pending lock held) and reports whether
// the request is complete. Like Node, an answer without the expected field
// counts as a message but is otherwise ignored.
func (a *Adapter) addResponse(r *pending, res *redisproto.Response) bool {
	switch r.typ {
	case redisproto.TypeRemoteFetch:
		r.msgCount++
		var sockets []remote.SocketJSON
		if len(res.Sockets) == 0 || jsonx.Unmarshal(res.Sockets, &sockets) != nil {
			return false
		}
		for i := range sockets {
			r.sockets = append(r.sockets, remote.NewSocket(a.nsp, &sockets[i]))
		}
		return r.msgCount == r.numSub
	case redisproto.TypeAllRooms:
		r.msgCount++
		if res.Rooms == nil {
			return false
		}
		for _, room := range res.Rooms {
			r.rooms[room] = struct{}{}
		}
		return r.msgCount == r.numSub
	case redisproto.TypeServerSideEmit:
		return r.emit.Add(argsOf(res.Data, res.Attachments))
	}
	return false
}

// argsOf wraps one JSON value as Args (no value when absent).
func argsOf(raw json.RawMessage, atts [][]byte) socketio.Args {
	if len(raw) == 0 {
		return socketio.NewArgs(atts)
	}
	return socketio.NewArgs(atts, raw)
}
