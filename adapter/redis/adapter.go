package redis

import (
	"context"

	goredis "github.com/redis/go-redis/v9"

	"github.com/sio-fast/sio-fast/adapter/internal/remote"
	"github.com/sio-fast/sio-fast/internal/redisproto"
	"github.com/sio-fast/sio-fast/socketio"
)

var (
	_ socketio.Adapter      = (*Adapter)(nil)
	_ socketio.LocalCounter = (*Adapter)(nil)
)

// New returns a socketio.Config.NewAdapter that joins every namespace to
// the cluster on client. The client is shared by all namespaces and is not
// closed by the adapters.
func New(client goredis.UniversalClient, opts Options) func(*socketio.Namespace) socketio.Adapter {
	opts = opts.withDefaults()
	return func(nsp *socketio.Namespace) socketio.Adapter { return newAdapter(nsp, client, opts) }
}

// Adapter is the adapter of one namespace. Its methods are safe from any
// goroutine; all but FetchSockets, AllRooms and WaitReady return without
// waiting for the network.
type Adapter struct {
	core
	mem *socketio.MemoryAdapter // local sockets

	nsp *socketio.Namespace
	uid string
	ch  redisproto.Channels
	// specific is this node's response channel (publishOnSpecificResponseChannel).
	specific string

	// scratch is the broadcast being decoded (receiving goroutine only):
	// its Data buffer is reused, so a received broadcast allocates little.
	scratch redisproto.Broadcast

	pending remote.Requests[pending]
	acks    ackRequests
}

func newAdapter(nsp *socketio.Namespace, client goredis.UniversalClient, opts Options) *Adapter {
	a := &Adapter{
		mem: socketio.NewMemoryAdapterWithHooks(nsp, socketio.MemoryAdapterHooks{}),
		nsp: nsp,
		uid: randomID(6),
		ch:  redisproto.ChannelsFor(opts.Key, nsp.Name()),
	}
	a.core.init(client, opts, opts.Logger.With("adapter", "redis", "namespace", nsp.Name()))
	a.specific = a.ch.SpecificResponse(a.uid)
	a.acks.init()
	a.subscribe, a.fixed, a.dispatch = a.subscribeAll, []string{a.ch.Broadcast + "*", a.ch.Request, a.ch.Response, a.specific}, a.onMessage
	a.count.ask = func(ctx context.Context) (int64, error) {
		res, err := a.client.PubSubNumSub(ctx, a.ch.Request).Result()
		return res[a.ch.Request], err
	}
	return a
}

// UID returns the adapter's uid (6 random characters), which other nodes
// see as the sender of this node's messages.
func (a *Adapter) UID() string { return a.uid }

// Init starts the receiving, publishing and counting goroutines. It does
// not wait for Redis: use WaitReady for that.
func (a *Adapter) Init() error {
	a.start(false)
	return nil
}
