package redis

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"

	goredis "github.com/redis/go-redis/v9"

	"github.com/sio-fast/sio-fast/internal/redisproto"
	"github.com/sio-fast/sio-fast/socketio"
)

var _ socketio.Adapter = (*Adapter)(nil)

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
	mem *socketio.MemoryAdapter // local sockets

	nsp    *socketio.Namespace
	client goredis.UniversalClient
	opts   Options
	log    *slog.Logger
	uid    string
	ch     redisproto.Channels
	// specific is this node's response channel (publishOnSpecificResponseChannel).
	specific string

	// scratch is the broadcast being decoded (receiving goroutine only):
	// its Data buffer is reused, so a received broadcast allocates little.
	scratch redisproto.Broadcast

	ps       *goredis.PubSub // closed by Close, which unblocks the receiver
	pub      *publisher
	pending  pendingRequests
	acks     ackRequests
	count    serverCount
	stats    counters
	ready    chan struct{}
	readyOne sync.Once
	closed   atomic.Bool
	stop     context.CancelFunc
	ctx      context.Context
	done     sync.WaitGroup
}

func newAdapter(nsp *socketio.Namespace, client goredis.UniversalClient, opts Options) *Adapter {
	a := &Adapter{
		mem:    socketio.NewMemoryAdapterWithHooks(nsp, socketio.MemoryAdapterHooks{}),
		nsp:    nsp,
		client: client,
		opts:   opts,
		log:    opts.Logger.With("adapter", "redis", "namespace", nsp.Name()),
		uid:    randomID(6),
		ch:     redisproto.ChannelsFor(opts.Key, nsp.Name()),
		ready:  make(chan struct{}),
	}
	a.specific = a.ch.SpecificResponse(a.uid)
	a.pending.init()
	a.acks.init()
	a.count.n.Store(1)
	return a
}

// UID returns the adapter's uid (6 random characters), which other nodes
// see as the sender of this node's messages.
func (a *Adapter) UID() string { return a.uid }

// Stats returns the adapter's counters.
func (a *Adapter) Stats() Stats { return a.stats.snapshot() }

// Init starts the receiving, publishing and counting goroutines. It does
// not wait for Redis: use WaitReady for that.
func (a *Adapter) Init() error {
	a.ctx, a.stop = context.WithCancel(context.Background())
	a.pub = newPublisher(a)
	a.ps = a.client.Subscribe(a.ctx)
	a.done.Add(3)
	go func() { defer a.done.Done(); a.pub.run() }()
	go func() { defer a.done.Done(); a.receive() }()
	go func() { defer a.done.Done(); a.count.refreshLoop(a) }()
	return nil
}

// WaitReady waits until the subscriptions are confirmed by Redis (or ctx
// ends). Any goroutine; it blocks.
func (a *Adapter) WaitReady(ctx context.Context) error {
	select {
	case <-a.ready:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close unsubscribes and stops the goroutines; messages still queued are
// published first (within RequestsTimeout). Pending requests end with
// their timeout.
func (a *Adapter) Close() error {
	if !a.closed.CompareAndSwap(false, true) || a.stop == nil {
		return nil
	}
	a.pub.close()
	a.stop()
	_ = a.ps.Close()
	a.done.Wait()
	return nil
}
