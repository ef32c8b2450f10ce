package loop

import (
	"log/slog"
	"runtime"
	"time"
)

// Option configures Serve.
type Option func(*options)

type options struct {
	numLoops       int
	readBufferCap  int
	writeBufferCap int
	sockRecvBuf    int
	sockSendBuf    int
	noDelay        bool
	keepAlive      time.Duration
	reusePort      bool
	maxConns       int
	maxQueued      int
	tick           time.Duration
	precision      time.Duration
	closeGrace     time.Duration
	logger         *slog.Logger
	keepProcs      bool
	tls            tlsOptions // WithTLS, WithTLSHandshakeTimeout (tls.go)
	stallTimeout   time.Duration
	busyTime       bool
	noBurstCollect bool            // WithBurstCollect(false)
	collector      *burstCollector // tests: thresholds of their own
}

// Defaults chosen for many mostly idle connections on few cores.
const (
	defaultMaxConns   = 1 << 20
	defaultMaxQueued  = 4 << 20
	defaultTick       = 50 * time.Millisecond
	defaultPrecision  = 2 * time.Millisecond
	defaultCloseGrace = 5 * time.Second
)

func newOptions(opts []Option) options {
	o := options{
		numLoops:     runtime.NumCPU(),
		noDelay:      true,
		maxConns:     defaultMaxConns,
		maxQueued:    defaultMaxQueued,
		tick:         defaultTick,
		precision:    defaultPrecision,
		closeGrace:   defaultCloseGrace,
		stallTimeout: defaultStallTimeout,
		sockSendBuf:  defaultSendBuffer,
		logger:       slog.Default(),
	}
	for _, opt := range opts {
		opt(&o)
	}
	if o.numLoops < 1 {
		o.numLoops = 1
	}
	if o.tick <= 0 {
		o.tick = defaultTick
	}
	if o.precision <= 0 {
		o.precision = defaultPrecision
	}
	if o.maxQueued <= 0 {
		o.maxQueued = defaultMaxQueued
	}
	if o.maxConns <= 0 {
		o.maxConns = defaultMaxConns
	}
	return o
}

// WithNumLoops sets the number of event loops (default: runtime.NumCPU()).
func WithNumLoops(n int) Option { return func(o *options) { o.numLoops = n } }

// WithReadBufferCap sets gnet's per-loop read buffer: the most bytes one
// read(2) takes per event (default 64 KiB). It is per loop, not per connection.
func WithReadBufferCap(n int) Option { return func(o *options) { o.readBufferCap = n } }

// WithWriteBufferCap sets the size of gnet's outbound ring per connection
// before it spills into a list (default 64 KiB). It is allocated lazily, only
// when the kernel refuses bytes.
func WithWriteBufferCap(n int) Option { return func(o *options) { o.writeBufferCap = n } }

// WithSocketBuffers sets SO_RCVBUF and SO_SNDBUF on every connection (0 keeps
// the kernel default; for SO_SNDBUF that replaces WithSendBuffer's 64 KiB
// default with autotuning). Kernel memory per connection is what bounds a
// node at hundreds of thousands of connections.
func WithSocketBuffers(recv, send int) Option {
	return func(o *options) { o.sockRecvBuf, o.sockSendBuf = recv, send }
}

// WithWriteStallTimeout sets how long a connection's queued outbound bytes
// may make no progress before it is closed with ErrSlowConsumer (default
// 3 s; 0 turns the check off). The check runs at the loop's ticks, so a
// stalled connection is closed between d and d plus two tick intervals after
// its bytes stopped leaving. See stall.go for what counts as progress.
func WithWriteStallTimeout(d time.Duration) Option {
	return func(o *options) { o.stallTimeout = max(d, 0) }
}

// WithSendBuffer sets SO_SNDBUF on every connection: the most the kernel
// holds for a client that stops reading (Linux doubles the value for its
// bookkeeping). 0 leaves the kernel's autotuning, which grows the queue of a
// stalled socket to several MiB. The default, 64 KiB, is from the
// measurements in docs/benchmarks.md.
func WithSendBuffer(n int) Option { return func(o *options) { o.sockSendBuf = max(n, 0) } }

// WithBusyTime makes every loop time its turns for Stats.Busy: two clock
// reads per turn (each loop callback from the poller), so it is off by
// default; the standalone server turns it on with its metrics.
func WithBusyTime(on bool) Option { return func(o *options) { o.busyTime = on } }

// WithTCPNoDelay turns TCP_NODELAY on or off (default on: latency first).
func WithTCPNoDelay(on bool) Option { return func(o *options) { o.noDelay = on } }

// WithTCPKeepAlive enables TCP keep-alive probes after d of idleness (0: off).
func WithTCPKeepAlive(d time.Duration) Option { return func(o *options) { o.keepAlive = d } }

// WithReusePort sets SO_REUSEPORT on the listener and runs one acceptor per
// loop, letting the kernel spread incoming connections between them.
func WithReusePort(on bool) Option { return func(o *options) { o.reusePort = on } }

// WithMaxConns caps the number of open connections. Connections over the cap
// are accepted and closed at once, so the peer sees a clean refusal while the
// others keep working. Keep it below the process's file descriptor limit.
func WithMaxConns(n int) Option { return func(o *options) { o.maxConns = n } }

// WithMaxQueuedBytes caps the outbound bytes queued per connection, in this
// package and in gnet together (default 4 MiB). A connection over the cap is
// closed with ErrSlowConsumer.
func WithMaxQueuedBytes(n int) Option { return func(o *options) { o.maxQueued = n } }

// WithBurstCollect(false) stops the server from collecting garbage and
// returning free memory to the OS once a burst of new connections is over
// (collect.go says when and why; on by default). The collection is
// process-wide: a program that manages the Go runtime's memory itself may
// want it off.
func WithBurstCollect(on bool) Option { return func(o *options) { o.noBurstCollect = !on } }

// WithTickInterval sets the interval of the ticker that drives the timing
// wheels (default 50 ms): the coarse slots, and how often the loops' other
// periodic chores (lingering closes, backlog flags) run. A loop with nothing
// due at a tick is not woken for it (idleticks.go).
func WithTickInterval(d time.Duration) Option { return func(o *options) { o.tick = d } }

// WithTimerPrecision sets how late, at most, a timer fires after its
// deadline, besides the time a loop takes to wake up (default 2 ms). A loop
// wakes itself at most once per this interval, and only when timers are
// due: finer costs more wake-ups on a loop with many timers (heartbeats), a
// value at or above the tick interval turns the wake-ups off (timers then
// fire at the ticks, up to one tick late). docs/benchmarks.md has the
// figures.
func WithTimerPrecision(d time.Duration) Option { return func(o *options) { o.precision = d } }

// WithCloseGrace bounds how long CloseAfterFlush waits for queued bytes to
// leave before it closes anyway (default 5 s).
func WithCloseGrace(d time.Duration) Option { return func(o *options) { o.closeGrace = d } }

// WithGOMAXPROCSUnchanged stops Serve from raising GOMAXPROCS (see
// ensureSpareProc). Use it when the embedding program manages GOMAXPROCS
// itself and keeps it above the number of loops.
func WithGOMAXPROCSUnchanged() Option { return func(o *options) { o.keepProcs = true } }

// WithLogger sets the logger for loop and gnet messages (default slog.Default()).
func WithLogger(l *slog.Logger) Option {
	return func(o *options) {
		if l != nil {
			o.logger = l
		}
	}
}
