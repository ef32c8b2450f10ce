package emitter

import (
	"context"
	"errors"
	"strings"

	goredis "github.com/redis/go-redis/v9"

	"github.com/sio-fast/sio-fast/internal/jsonx"
	"github.com/sio-fast/sio-fast/internal/redisproto"
	"github.com/sio-fast/sio-fast/socketio/parser"
)

// Errors returned before anything is published.
var (
	// ErrReservedEvent: the event name is one Socket.IO reserves.
	ErrReservedEvent = errors.New("emitter: reserved event name")
)

// Options configure an Emitter.
type Options struct {
	// Key is the channel prefix of the cluster (default "socket.io").
	Key string
}

// Emitter publishes to one namespace (default "/").
type Emitter struct {
	client goredis.UniversalClient
	key    string
	nsp    string
	ch     redisproto.Channels
}

// New returns an emitter for the main namespace. The client is not closed
// by the emitter.
func New(client goredis.UniversalClient, opts Options) *Emitter {
	if opts.Key == "" {
		opts.Key = "socket.io"
	}
	return newEmitter(client, opts.Key, "/")
}

func newEmitter(client goredis.UniversalClient, key, nsp string) *Emitter {
	return &Emitter{client: client, key: key, nsp: nsp, ch: redisproto.ChannelsFor(key, nsp)}
}

// Of returns an emitter for namespace nsp ("/" is added in front when
// missing, as in Node).
func (e *Emitter) Of(nsp string) *Emitter {
	if !strings.HasPrefix(nsp, "/") {
		nsp = "/" + nsp
	}
	return newEmitter(e.client, e.key, nsp)
}

func (e *Emitter) op() Operator { return Operator{e: e} }

// To targets rooms (a union).
func (e *Emitter) To(rooms ...string) Operator { return e.op().To(rooms...) }

// In is an alias of To.
func (e *Emitter) In(rooms ...string) Operator { return e.op().To(rooms...) }

// Except excludes the members of rooms.
func (e *Emitter) Except(rooms ...string) Operator { return e.op().Except(rooms...) }

// Volatile marks the broadcast volatile.
func (e *Emitter) Volatile() Operator { return e.op().Volatile() }

// Compress sets the compress flag.
func (e *Emitter) Compress(c bool) Operator { return e.op().Compress(c) }

// Emit broadcasts to every socket of the namespace.
func (e *Emitter) Emit(ctx context.Context, event string, args ...any) error {
	return e.op().Emit(ctx, event, args...)
}

// SocketsJoin makes every socket of the namespace join rooms.
func (e *Emitter) SocketsJoin(ctx context.Context, rooms ...string) error {
	return e.op().SocketsJoin(ctx, rooms...)
}

// SocketsLeave makes every socket of the namespace leave rooms.
func (e *Emitter) SocketsLeave(ctx context.Context, rooms ...string) error {
	return e.op().SocketsLeave(ctx, rooms...)
}

// DisconnectSockets disconnects every socket of the namespace (close: their
// whole connection).
func (e *Emitter) DisconnectSockets(ctx context.Context, close bool) error {
	return e.op().DisconnectSockets(ctx, close)
}

// ServerSideEmit sends an event to the servers of the namespace (their
// OnServerSideEmit handlers, Node's nsp.on). Arguments are JSON-encoded.
func (e *Emitter) ServerSideEmit(ctx context.Context, event string, args ...any) error {
	data, err := jsonx.Marshal(append([]any{event}, args...))
	if err != nil {
		return err
	}
	return e.publish(ctx, e.ch.Request, redisproto.AppendServerSideEmit(nil, redisproto.EmitterUID, "", data))
}

func (e *Emitter) publish(ctx context.Context, channel string, msg []byte) error {
	return e.client.Publish(ctx, channel, msg).Err()
}

// Operator is a broadcast being built: rooms, excluded rooms and flags. It
// is a value; every method returns a new one.
type Operator struct {
	e      *Emitter
	rooms  []string
	except []string
	flags  redisproto.Flags
}

func appendSet(dst, add []string) []string {
	out := dst[:len(dst):len(dst)]
	for _, r := range add {
		if !contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// To adds rooms to the targets.
func (o Operator) To(rooms ...string) Operator { o.rooms = appendSet(o.rooms, rooms); return o }

// In is an alias of To.
func (o Operator) In(rooms ...string) Operator { return o.To(rooms...) }

// Except adds rooms to the excluded ones.
func (o Operator) Except(rooms ...string) Operator { o.except = appendSet(o.except, rooms); return o }

// Volatile marks the broadcast volatile.
func (o Operator) Volatile() Operator { o.flags.Volatile = true; return o }

// Compress sets the compress flag (false: sent without compression).
func (o Operator) Compress(c bool) Operator { o.flags.Compress = &c; return o }

// Emit publishes the broadcast. Arguments follow socketio's rules for
// other Go values: JSON through jsonx, []byte at any depth as binary.
func (o Operator) Emit(ctx context.Context, event string, args ...any) error {
	if parser.IsReservedEvent(event) {
		return ErrReservedEvent
	}
	data, atts, err := parser.Deconstruct(append([]any{event}, args...))
	if err != nil {
		return err
	}
	m := redisproto.Broadcast{UID: redisproto.EmitterUID, Nsp: o.e.nsp, Data: data, Attachments: atts,
		Opts: redisproto.Opts{Rooms: o.rooms, Except: o.except, Flags: o.flags}}
	msg, err := redisproto.AppendBroadcast(nil, &m, redisproto.EmitterOrder)
	if err != nil {
		return err
	}
	return o.e.publish(ctx, o.e.ch.BroadcastChannel(o.rooms), msg)
}

// SocketsJoin makes the selected sockets join rooms.
func (o Operator) SocketsJoin(ctx context.Context, rooms ...string) error {
	return o.e.publish(ctx, o.e.ch.Request, redisproto.AppendSocketsRequest(nil, "", redisproto.TypeRemoteJoin, o.rooms, o.except, rooms))
}

// SocketsLeave makes the selected sockets leave rooms.
func (o Operator) SocketsLeave(ctx context.Context, rooms ...string) error {
	return o.e.publish(ctx, o.e.ch.Request, redisproto.AppendSocketsRequest(nil, "", redisproto.TypeRemoteLeave, o.rooms, o.except, rooms))
}

// DisconnectSockets disconnects the selected sockets.
func (o Operator) DisconnectSockets(ctx context.Context, close bool) error {
	return o.e.publish(ctx, o.e.ch.Request, redisproto.AppendDisconnectRequest(nil, "", o.rooms, o.except, close))
}
