package remote

import (
	"time"

	"github.com/sio-fast/sio-fast/socketio"
)

// FetchLocal is how every cluster adapter's FetchSockets starts: the
// local sockets opts selects, and how many nodes listen, this one
// included. nodes is 0 when the other nodes are not to be asked: with the
// Local flag, or when mem or Redis (numSub) failed, err then saying why.
// It blocks on numSub.
func FetchLocal(mem *socketio.MemoryAdapter, opts *socketio.BroadcastOptions, numSub func() (int, error)) (local []socketio.RemoteSocket, nodes int, err error) {
	local, err = mem.FetchSockets(opts)
	if err != nil || opts.Flags.Local {
		return local, 0, err
	}
	if nodes, err = numSub(); err != nil {
		return local, 0, err
	}
	return local, nodes, nil
}

// RequestTimeout is how long a fetchSockets waits for the other nodes:
// opts' Timeout when set (Node's fetchSockets honours timeout()), def
// otherwise.
func RequestTimeout(opts *socketio.BroadcastOptions, def time.Duration) time.Duration {
	if opts.Flags.Timeout > 0 {
		return opts.Flags.Timeout
	}
	return def
}
