package redisstreams

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strconv"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/sio-fast/sio-fast/internal/jsonx"
	"github.com/sio-fast/sio-fast/internal/redisproto"
	"github.com/sio-fast/sio-fast/socketio"
	"github.com/sio-fast/sio-fast/socketio/parser"
)

// restorePages bounds the XRANGE calls of one restore (Node's
// RESTORE_SESSION_MAX_XRANGE_CALLS); restorePage is the entries per call.
const (
	restorePages = 100
	restorePage  = 100
)

// sessionJSON is a session as Node stores it: base64 of the MessagePack of
// {sid, pid, rooms, data}.
type sessionJSON struct {
	SID   string          `json:"sid"`
	PID   string          `json:"pid"`
	Rooms []string        `json:"rooms"`
	Data  json.RawMessage `json:"data,omitempty"`
}

var (
	errBadID      = errors.New("invalid stream entry id")
	errBadSession = errors.New("session is not base64 MessagePack of {sid, pid, rooms, data}")
)

// encodeSession returns the value of a session key.
func encodeSession(s *socketio.Session) (string, error) {
	j := sessionJSON{SID: s.SID, PID: s.PID, Rooms: s.Rooms}
	if s.Data != nil {
		d, err := jsonx.Marshal(s.Data)
		if err != nil {
			return "", err
		}
		j.Data = d
	}
	b, err := jsonx.Marshal(j)
	if err != nil {
		return "", err
	}
	mp, err := redisproto.AppendMsgpack(nil, b, nil)
	return base64.StdEncoding.EncodeToString(mp), err
}

// decodeSession reads the value of a session key. Data comes back as
// generic JSON values (map[string]any, []any, float64...): it crossed a
// process boundary, possibly from a Node node.
func decodeSession(v string) (*socketio.Session, error) {
	mp, err := base64.StdEncoding.DecodeString(v)
	if err != nil {
		return nil, errBadSession
	}
	j, _, rest, err := redisproto.AppendJSON(nil, nil, mp)
	if err != nil || len(rest) > 0 {
		return nil, errBadSession
	}
	var s sessionJSON
	if err := jsonx.Unmarshal(j, &s); err != nil || s.SID == "" {
		return nil, errBadSession
	}
	sess := &socketio.Session{SID: s.SID, PID: s.PID, Rooms: s.Rooms}
	if len(s.Data) > 0 {
		if err := jsonx.Unmarshal(s.Data, &sess.Data); err != nil {
			return nil, errBadSession
		}
	}
	return sess, nil
}

// PersistSession stores sess under SessionKeyPrefix+pid for
// MaxDisconnectionDuration (SET ... PX), as Node does, so that any node
// can restore it. It queues the write and returns.
func (a *Adapter) PersistSession(sess *socketio.Session) {
	v, err := encodeSession(sess)
	if err != nil {
		a.log.Error("redis streams session not encodable: not persisted", "sid", sess.SID, "err", err)
		return
	}
	key, px := a.opts.SessionKeyPrefix+sess.PID, strconv.FormatInt(a.nsp.RecoveryWindow().Milliseconds(), 10)
	a.enqueue(func(ctx context.Context, p goredis.Pipeliner) { p.Do(ctx, "SET", key, v, "PX", px) })
}

// RestoreSession takes the session pid (MULTI GET+DEL) and replays the
// broadcasts of the stream after offset that its rooms select, as Node's
// restoreSession does; it answers done(nil, nil) when the offset is not an
// entry id of the stream or the session is gone. It returns at once; the
// lookup runs on its own goroutine and done runs on home.
func (a *Adapter) RestoreSession(pid, offset string, home socketio.Executor, done func(*socketio.Session, []parser.Packet)) {
	go a.restore(pid, offset, home, done)
}

func (a *Adapter) restore(pid, offset string, home socketio.Executor, done func(*socketio.Session, []parser.Packet)) {
	from, ok := parseID(offset)
	var sess *socketio.Session
	if ok && a.isReady() {
		sess = a.takeSession(pid, offset)
	}
	if sess == nil {
		home.Execute(func() { done(nil, nil) })
		return
	}
	var missed []parser.Packet
	give := func() { done(sess, missed) }
	deadline := time.Now().Add(a.opts.RequestsTimeout)
	for pages := 0; pages < restorePages && time.Now().Before(deadline); {
		switch a.handOver(from, home, give) {
		case handedOver:
			return
		case readerBehind:
			a.sleep(5 * time.Millisecond)
		case entriesLeft:
			pages++
			var err error
			if missed, from, err = a.missedAfter(from, sess.Rooms, missed); err != nil {
				pages = restorePages
			}
		}
	}
	a.log.Warn("redis streams session not restored: the stream could not be read up to date in time", "sid", sess.SID)
	home.Execute(func() { done(nil, nil) })
}

// takeSession gets and deletes the session and checks that offset is
// still in the stream; nil when either is missing.
func (a *Adapter) takeSession(pid, offset string) *socketio.Session {
	ctx, cancel := context.WithTimeout(a.ctx, a.opts.RequestsTimeout)
	defer cancel()
	key := a.opts.SessionKeyPrefix + pid
	var get *goredis.StringCmd
	_, err := a.client.TxPipelined(ctx, func(p goredis.Pipeliner) error {
		get = p.Get(ctx, key)
		p.Del(ctx, key)
		return nil
	})
	if err != nil {
		return nil
	}
	found, err := a.client.XRange(ctx, a.opts.StreamName, offset, offset).Result()
	if err != nil || len(found) == 0 {
		return nil
	}
	sess, err := decodeSession(get.Val())
	if err != nil {
		a.drop("session", key, err)
		return nil
	}
	return sess
}

// handOver's outcomes.
const (
	handedOver   = iota
	entriesLeft  // entries after from were delivered before: read them first
	readerBehind // the reader has not delivered up to from yet (the client saw entries through another node)
)

// handOver runs give on home, under the delivery lock, when the reader's
// cursor is exactly at from: then every later entry is fanned out after
// give made the socket a recipient, and every earlier one after the
// offset is among the missed packets.
func (a *Adapter) handOver(from streamID, home socketio.Executor, give func()) int {
	a.deliverMu.Lock()
	defer a.deliverMu.Unlock()
	switch {
	case from.less(a.cursor):
		return entriesLeft
	case a.cursor.less(from):
		return readerBehind
	}
	given := make(chan struct{})
	home.Execute(func() { give(); close(given) })
	select {
	case <-given:
	case <-a.ctx.Done():
	}
	return handedOver
}

// missedAfter reads a page of entries after from (up to the reader's
// cursor) and appends the broadcasts the rooms select, each with its
// offset. It returns the id of the last entry read (the cursor when the
// range was empty: the entries were trimmed).
func (a *Adapter) missedAfter(from streamID, rooms []string, missed []parser.Packet) ([]parser.Packet, streamID, error) {
	a.deliverMu.Lock()
	upTo := a.cursor
	a.deliverMu.Unlock()
	ctx, cancel := context.WithTimeout(a.ctx, a.opts.RequestsTimeout)
	defer cancel()
	entries, err := a.client.XRangeN(ctx, a.opts.StreamName, "("+from.String(), upTo.String(), restorePage).Result()
	if err != nil {
		return missed, from, err
	}
	if len(entries) == 0 {
		return missed, upTo, nil
	}
	for i := range entries {
		e := &entries[i]
		if p, ok := a.missedPacket(e, rooms); ok {
			missed = append(missed, p)
		}
		from, _ = parseID(e.ID)
	}
	return missed, from, nil
}

// missedPacket returns the packet of a stored broadcast of this namespace
// that rooms select (Node's shouldIncludePacket), its offset appended.
// Volatile broadcasts are not replayed (features.md 1.5).
func (a *Adapter) missedPacket(e *goredis.XMessage, rooms []string) (parser.Packet, bool) {
	if e.Values["nsp"] != a.nsp.Name() || e.Values["type"] != "3" {
		return parser.Packet{}, false
	}
	m, err := decodeEntry(e.Values)
	if err != nil {
		return parser.Packet{}, false
	}
	var b broadcastJSON
	if jsonx.Unmarshal(m.Data, &b) != nil || b.RequestID != nil || b.Opts.Flags.Volatile || !selects(rooms, &b.Opts) {
		return parser.Packet{}, false
	}
	p := b.event(a.nsp.Name(), m.Atts)
	p.Data = socketio.AppendOffset(p.Data, e.ID)
	return p, true
}

// selects is Node's shouldIncludePacket.
func selects(rooms []string, o *optsJSON) bool {
	included := len(o.Rooms) == 0
	for _, r := range rooms {
		for _, x := range o.Except {
			if r == x {
				return false
			}
		}
		if !included {
			for _, t := range o.Rooms {
				if r == t {
					included = true
				}
			}
		}
	}
	return included
}
