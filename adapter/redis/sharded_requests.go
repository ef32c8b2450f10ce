package redis

import (
	"errors"
	"fmt"
	"time"

	"github.com/sio-fast/sio-fast/adapter/internal/remote"
	"github.com/sio-fast/sio-fast/internal/jsonx"
	"github.com/sio-fast/sio-fast/internal/redisproto"
	"github.com/sio-fast/sio-fast/socketio"
)

// clusterRequest is a fetchSockets or serverSideEmit of this node waiting
// for the other nodes' answers (ClusterAdapter's requests map).
type clusterRequest struct {
	typ      int // ClusterFetchSockets or ClusterServerSideEmit
	expected int // fetch: the other nodes
	current  int
	sockets  []socketio.RemoteSocket
	finish   func(error)     // fetch: called once, outside the lock
	emit     *remote.Replies // serverSideEmit
}

// addRequest registers req with its timeout, which finishes it with Node's
// "timeout reached: only X responses received out of Y".
func (a *Sharded) addRequest(id string, req *clusterRequest, timeout time.Duration) {
	a.requests.AddExpiring(id, req, timeout, func(req *clusterRequest) {
		req.finish(fmt.Errorf("timeout reached: only %d responses received out of %d", req.current, req.expected))
	})
}

// FetchSockets returns the local sockets selected by opts and, unless
// Local, those of the other nodes as proxies. It blocks until every other
// node answered or the timeout (opts' or RequestsTimeout) passed; then,
// like Node, it fails with "timeout reached: only X responses received out
// of Y".
func (a *Sharded) FetchSockets(opts *socketio.BroadcastOptions) ([]socketio.RemoteSocket, error) {
	local, n, err := remote.FetchLocal(a.mem, opts, a.numSub)
	if n <= 1 {
		return local, err
	}
	id := hexID()
	done := make(chan error, 1)
	req := &clusterRequest{typ: redisproto.ClusterFetchSockets, expected: n - 1, sockets: local, finish: func(err error) { done <- err }}
	a.addRequest(id, req, remote.RequestTimeout(opts, a.opts.RequestsTimeout))
	w := wireOpts(opts)
	a.send(a.channel, redisproto.ClusterFetchSockets, redisproto.AppendClusterRequestData(nil, &w, id, nil, nil), nil)
	if err := <-done; err != nil {
		return nil, err
	}
	return req.sockets, nil
}

// ServerSideEmit publishes data (the JSON array [event, ...args]) to the
// other nodes. With ack, the number of other nodes is asked first (on a
// goroutine: this never blocks) and ack gets their answers, or after
// RequestsTimeout Node's timeout error with the answers so far.
func (a *Sharded) ServerSideEmit(data []byte, ack func(err error, responses []socketio.Args)) error {
	if ack == nil {
		a.send(a.channel, redisproto.ClusterServerSideEmit, redisproto.AppendClusterServerSideEmitData(nil, "", data), nil)
		return nil
	}
	go a.serverSideEmitWithAck(data, ack)
	return nil
}

func (a *Sharded) serverSideEmitWithAck(data []byte, ack func(error, []socketio.Args)) {
	e := remote.EmitWithAck[clusterRequest]{
		Requests: &a.requests, NumSub: a.numSub, NewID: hexID, Timeout: a.opts.RequestsTimeout,
		Record: func(r *remote.Replies) *clusterRequest {
			return &clusterRequest{typ: redisproto.ClusterServerSideEmit, emit: r}
		},
		Publish: func(id string) {
			a.send(a.channel, redisproto.ClusterServerSideEmit, redisproto.AppendClusterServerSideEmitData(nil, id, data), nil)
		},
	}
	e.Run(ack)
}

// errNoRequestID marks a response without requestId.
var errNoRequestID = errors.New("response without requestId")

// onResponse is Node's onResponse: acks of broadcasts, then answers to
// fetchSockets and serverSideEmit.
func (a *Sharded) onResponse(m *redisproto.ClusterMessage, d *redisproto.ClusterData) {
	if d.RequestID == "" {
		a.drop(a.response, "malformed response", errNoRequestID)
		return
	}
	switch m.Type {
	case redisproto.ClusterBroadcastClientCount:
		if ar := a.acks.get(d.RequestID); ar != nil && d.ClientCount != nil {
			ar.clientCount(*d.ClientCount)
		}
		return
	case redisproto.ClusterBroadcastAck:
		if ar := a.acks.get(d.RequestID); ar != nil {
			ar.ack(argsOf(d.Packet, m.Attachments))
		}
		return
	}
	req, complete := a.requests.Answer(d.RequestID, func(req *clusterRequest) bool { return a.addResponse(req, m, d) })
	switch {
	case !complete:
	case req.emit != nil:
		req.emit.Done()
	default:
		req.finish(nil)
	}
}

// addResponse records one answer (lock held) and reports whether the
// request is complete.
func (a *Sharded) addResponse(req *clusterRequest, m *redisproto.ClusterMessage, d *redisproto.ClusterData) bool {
	switch {
	case m.Type == redisproto.ClusterFetchSocketsResponse && req.typ == redisproto.ClusterFetchSockets:
		var sockets []remote.SocketJSON
		if len(d.Sockets) > 0 && jsonx.Unmarshal(d.Sockets, &sockets) != nil {
			a.drop(a.response, "malformed fetchSockets response", nil)
			return false
		}
		for i := range sockets {
			req.sockets = append(req.sockets, remote.NewSocket(a.nsp, &sockets[i]))
		}
	case m.Type == redisproto.ClusterServerSideEmitResponse && req.typ == redisproto.ClusterServerSideEmit:
		return req.emit.Add(argsOf(d.Packet, m.Attachments))
	default:
		return false
	}
	req.current++
	return req.current == req.expected
}
