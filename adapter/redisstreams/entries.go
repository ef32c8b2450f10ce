package redisstreams

import (
	goredis "github.com/redis/go-redis/v9"

	"github.com/sio-fast/sio-fast/internal/jsonx"
	"github.com/sio-fast/sio-fast/internal/redisproto"
	"github.com/sio-fast/sio-fast/socketio"
)

// onEntry handles one stream entry (reader goroutine). Unlike Node, which
// ignores its own entries and delivers its broadcasts right after XADD,
// this node delivers its own broadcasts when it reads them back: every
// node then fans out the stream in the stream's order, which is what lets
// a restore hand over from the stream to live delivery without a gap or a
// duplicate (see restore).
func (a *Adapter) onEntry(e *goredis.XMessage) {
	a.stats.Received.Add(1)
	id, ok := parseID(e.ID)
	if !ok {
		a.drop("stream", e.ID, errBadID)
		return
	}
	defer a.advance(id)
	if _, ok := e.Values["nsp"]; !ok {
		return // not an adapter entry (Node skips these too)
	}
	m, err := decodeEntry(e.Values)
	if err != nil {
		a.drop("stream", e.ID, err)
		return
	}
	if m.Nsp != a.nsp.Name() {
		return
	}
	if err := a.apply(m, id); err != nil {
		a.drop("stream", e.ID, err)
	}
}

// advance records id as handled.
func (a *Adapter) advance(id streamID) {
	a.deliverMu.Lock()
	if a.cursor.less(id) {
		a.cursor = id
	}
	a.deliverMu.Unlock()
}

// apply runs a durable message: a broadcast (with its offset when
// recovery is on), socketsJoin, socketsLeave or disconnectSockets.
func (a *Adapter) apply(m *message, id streamID) error {
	switch m.Type {
	case redisproto.ClusterBroadcast:
		var b broadcastJSON
		if err := jsonx.Unmarshal(m.Data, &b); err != nil {
			return err
		}
		if b.RequestID != nil {
			return nil // acks travel over Pub/Sub
		}
		pkt, opts := b.event(a.nsp.Name(), m.Atts), b.Opts.options()
		if a.nsp.RecoveryWindow() > 0 && !opts.Flags.Volatile {
			pkt.Data = socketio.AppendOffset(pkt.Data, id.String())
		}
		a.deliverMu.Lock()
		a.mem.Deliver(&pkt, opts)
		a.cursor = id
		a.deliverMu.Unlock()
	case redisproto.ClusterSocketsJoin, redisproto.ClusterSocketsLeave:
		var r roomsJSON
		if err := jsonx.Unmarshal(m.Data, &r); err != nil {
			return err
		}
		if m.Type == redisproto.ClusterSocketsJoin {
			a.mem.AddSockets(r.Opts.options(), r.Rooms)
		} else {
			a.mem.DelSockets(r.Opts.options(), r.Rooms)
		}
	case redisproto.ClusterDisconnectSockets:
		var d disconnectJSON
		if err := jsonx.Unmarshal(m.Data, &d); err != nil {
			return err
		}
		a.mem.DisconnectSockets(d.Opts.options(), d.Close)
	}
	return nil
}
