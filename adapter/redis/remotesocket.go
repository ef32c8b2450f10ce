package redis

import (
	"github.com/sio-fast/sio-fast/adapter/internal/remote"
	"github.com/sio-fast/sio-fast/socketio"
)

func randomID(n int) string { return remote.RandomID(n) }

// localSocketsJSON is the sockets array of a REMOTE_FETCH response for the
// local sockets selected by opts.
func (a *Adapter) localSocketsJSON(opts *socketio.BroadcastOptions) []byte {
	b, err := remote.LocalSocketsJSON(a.mem, opts)
	if err != nil {
		a.log.Error("redis fetchSockets answer not encodable", "err", err)
	}
	return b
}
