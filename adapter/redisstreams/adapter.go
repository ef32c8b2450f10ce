package redisstreams

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"sync"
	"sync/atomic"

	goredis "github.com/redis/go-redis/v9"

	"github.com/sio-fast/sio-fast/adapter/internal/remote"
	"github.com/sio-fast/sio-fast/socketio"
)

var (
	_ socketio.Adapter      = (*Adapter)(nil)
	_ socketio.SessionStore = (*Adapter)(nil)
	_ socketio.LocalCounter = (*Adapter)(nil)
)

// New returns a socketio.Config.NewAdapter that joins every namespace to
// the cluster on client. The client is shared by all namespaces and is not
// closed by the adapters; each namespace's stream reader reads on a copy
// of it that its Close closes (readerClient).
func New(client goredis.UniversalClient, opts Options) func(*socketio.Namespace) socketio.Adapter {
	opts = opts.withDefaults()
	return func(nsp *socketio.Namespace) socketio.Adapter { return newAdapter(nsp, client, opts) }
}

// Adapter is the adapter of one namespace. Its methods are safe from any
// goroutine; all but FetchSockets and WaitReady return without waiting for
// the network.
type Adapter struct {
	mem *socketio.MemoryAdapter // local sockets

	nsp     *socketio.Namespace
	client  goredis.UniversalClient
	reader  goredis.UniversalClient // the stream reader's (see readerClient)
	owned   bool                    // reader is the adapter's own, closed by Close
	opts    Options
	log     *slog.Logger
	uid     string
	public  string // socket.io#<nsp>#
	private string // socket.io#<nsp>#<uid>#

	// deliverMu orders the fan-out of stream entries against session
	// restores; cursor is the id of the last entry handled (valid once
	// ready is closed).
	deliverMu sync.Mutex
	cursor    streamID

	pub     *publisher
	pending remote.Requests[pending]
	count   atomic.Int64 // ServerCount
	stats   remote.Counters
	ready   chan struct{}
	readyMu sync.Once
	closed  atomic.Bool
	ctx     context.Context
	stop    context.CancelFunc
	done    sync.WaitGroup
}

func newAdapter(nsp *socketio.Namespace, client goredis.UniversalClient, opts Options) *Adapter {
	a := &Adapter{
		mem:    socketio.NewMemoryAdapterWithHooks(nsp, socketio.MemoryAdapterHooks{}),
		nsp:    nsp,
		client: client,
		opts:   opts,
		log:    opts.Logger.With("adapter", "redis-streams", "namespace", nsp.Name()),
		uid:    newUID(),
		public: opts.ChannelPrefix + "#" + nsp.Name() + "#",
		ready:  make(chan struct{}),
	}
	a.private = a.public + a.uid + "#"
	a.count.Store(1)
	return a
}

// newUID returns 16 hex characters, as ClusterAdapter's randomId.
func newUID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// UID returns the adapter's uid, which other nodes see as the sender of
// this node's messages.
func (a *Adapter) UID() string { return a.uid }

// Stats returns the adapter's counters.
func (a *Adapter) Stats() Stats { return snapshot(&a.stats) }

// Init starts the stream reader, the Pub/Sub receiver and the writer. It
// does not wait for Redis: use WaitReady for that.
func (a *Adapter) Init() error {
	a.ctx, a.stop = context.WithCancel(context.Background())
	a.pub = newPublisher(a)
	a.reader, a.owned = readerClient(a.client)
	ps := a.client.Subscribe(a.ctx, a.public, a.private)
	a.done.Add(4)
	go func() { defer a.done.Done(); a.pub.run() }()
	go func() { defer a.done.Done(); a.receive(ps) }()
	go func() { defer a.done.Done(); a.countLoop() }()
	go func() { defer a.done.Done(); a.read() }()
	return nil
}

// WaitReady waits until the stream reader knows where the stream ends
// (or ctx ends). Any goroutine; it blocks.
func (a *Adapter) WaitReady(ctx context.Context) error {
	select {
	case <-a.ready:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (a *Adapter) isReady() bool {
	select {
	case <-a.ready:
		return true
	default:
		return false
	}
}

// Close stops the goroutines and returns once they have ended; commands
// still queued are sent first (within RequestsTimeout). Pending requests
// end with their timeout. The stream reader's XREAD is ended at once by
// closing the reader's own client (readerClient); the client given to New
// is left open. Any goroutine; it blocks.
func (a *Adapter) Close() error {
	if !a.closed.CompareAndSwap(false, true) || a.stop == nil {
		return nil
	}
	a.pub.close()
	a.stop()
	if a.owned {
		_ = a.reader.Close() // ends a blocked XREAD: its error is the reader's signal to return
	}
	a.done.Wait()
	return a.mem.Close()
}
