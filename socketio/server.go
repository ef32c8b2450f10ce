package socketio

import (
	"errors"
	"log/slog"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sio-fast/sio-fast/socketio/parser"
)

// HandlerMode selects where event handlers, connection listeners,
// middlewares and ack callbacks run.
type HandlerMode uint8

const (
	// HandlerInline runs them on the session's event loop (the default, and
	// the fastest: no hand-off, no copy). They MUST NOT block: a blocking
	// call stalls every connection of that loop (the stall watchdog logs
	// it). Use Socket.Go (in order) or Socket.GoConcurrent (in parallel)
	// for blocking work.
	HandlerInline HandlerMode = iota
	// HandlerAsync runs them, in order, on a goroutine per socket created on
	// demand (an idle socket has none). Handlers may block. Arguments are
	// copied once per event.
	HandlerAsync
)

// Config configures a Server. The zero value is valid; defaults match Node.
type Config struct {
	// Path is where the server is mounted ("/socket.io"); a trailing "/" is
	// removed. Used for the client bundle (the engine matches requests).
	Path string
	// ConnectTimeout closes an Engine.IO session that joined no namespace in
	// time (default 45 s; negative disables).
	ConnectTimeout time.Duration
	// CleanupEmptyChildNamespaces removes a child of a parent namespace when
	// its last socket leaves (its adapter is closed).
	CleanupEmptyChildNamespaces bool
	// DisableServeClient turns off ServeBundle (Node: serveClient false).
	DisableServeClient bool
	// HandlerMode: HandlerInline (default) or HandlerAsync.
	HandlerMode HandlerMode
	// SocketConcurrency bounds the functions Socket.GoConcurrent runs at
	// once for one socket (default 16).
	SocketConcurrency int
	// StallThreshold is how long user code may hold an event loop before
	// the stall watchdog logs it (Warn, with namespace, socket and event)
	// and counts it in Server.Stalls (default 100 ms; negative disables).
	StallThreshold time.Duration
	// NewAdapter creates the adapter of each namespace (default
	// NewMemoryAdapter).
	NewAdapter func(nsp *Namespace) Adapter
	// MaxAttachments caps attachments per incoming packet (0: 10, like Node).
	MaxAttachments int
	// Logger receives handler panics and adapter errors (default
	// slog.Default()).
	Logger *slog.Logger
	// Parser is the packet format (Node's `parser` option): nil for the
	// default socket.io-parser text format, or a parser.Codec such as
	// msgpack.Parser{} (socketio/parser/msgpack). Every client must use the
	// same format. Handlers see the same Args either way: JSON values, binary
	// values as attachments. MaxAttachments does not apply (such formats
	// carry binary values inline).
	Parser parser.Codec
	// Recovery turns on connection state recovery (nil: off, Node's
	// default). DefaultRecovery() gives Node's settings. See Recovery.
	Recovery *Recovery
}

func (c Config) withDefaults() Config {
	if c.Path == "" {
		c.Path = "/socket.io"
	}
	c.Path = strings.TrimSuffix(c.Path, "/")
	if c.ConnectTimeout == 0 {
		c.ConnectTimeout = 45 * time.Second
	}
	if c.NewAdapter == nil {
		c.NewAdapter = NewMemoryAdapter
	}
	if c.SocketConcurrency <= 0 {
		c.SocketConcurrency = 16
	}
	if c.StallThreshold == 0 {
		c.StallThreshold = 100 * time.Millisecond
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c
}

// Server is a Socket.IO server. Its methods are safe from any goroutine;
// those of the main namespace ("/") are available directly on it.
type Server struct {
	cfg      Config
	logger   *slog.Logger
	recovery *Recovery // cfg.Recovery with defaults, nil when off
	async    bool
	closed   atomic.Bool

	mu       sync.RWMutex
	nsps     map[string]*Namespace
	parents  []*ParentNamespace
	onNewNsp []func(*Namespace)
	main     *Namespace

	connsMu  sync.Mutex
	unjoined map[*conn]int64 // connections in no namespace (see unjoined.go)
	sweeping bool            // the connect-timeout sweeper runs

	observer atomic.Pointer[Observer] // see Observe (observe.go)
	// broadcasts and fanoutObs: see Stats and ObserveFanout (stats.go).
	broadcasts atomic.Uint64
	fanoutObs  atomic.Pointer[FanoutObserver]
	watch      *stallWatch         // nil when Config.StallThreshold < 0
	intern     func([]byte) string // srv.internNamespace, bound once for every decoder
	decoders   sync.Pool           // *parser.Decoder, lent to a connection per message (see conn.dec)

	codec         parser.Codec // Config.Parser; nil: the default format (codec.go)
	codecDecoders sync.Pool    // parser.CodecDecoder, lent per message when codec is set
}

// NewServer returns a server with the main namespace created.
func NewServer(cfg Config) *Server {
	cfg = cfg.withDefaults()
	srv := &Server{
		cfg: cfg, logger: cfg.Logger, async: cfg.HandlerMode == HandlerAsync,
		nsps: make(map[string]*Namespace), unjoined: make(map[*conn]int64),
	}
	if cfg.Recovery != nil {
		srv.recovery = cfg.Recovery.withDefaults()
	}
	srv.intern = srv.internNamespace
	srv.watch = newStallWatch(srv, cfg.StallThreshold)
	srv.decoders.New = func() any {
		return &parser.Decoder{MaxAttachments: cfg.MaxAttachments, Intern: srv.intern}
	}
	if cfg.Parser != nil {
		srv.codec = cfg.Parser
		srv.codecDecoders.New = func() any { return cfg.Parser.NewDecoder(srv.intern) }
	}
	srv.main = srv.Of(parser.MainNamespace)
	return srv
}

// releaseDecoder returns a decoder lent by OnMessage, dropping whatever
// packet it still holds (attachments can be large).
func (srv *Server) releaseDecoder(d *parser.Decoder) {
	d.Reset()
	srv.decoders.Put(d)
}

// internNamespace returns the registered name equal to nsp, so decoding a
// packet for a known namespace allocates nothing, and a string copy for any
// other (the decoder's Intern hook, called on a miss of the connection's
// small namespace cache: not a lock per packet). Any goroutine.
func (srv *Server) internNamespace(nsp []byte) string {
	srv.mu.RLock()
	n := srv.nsps[string(nsp)]
	srv.mu.RUnlock()
	if n != nil {
		return n.name
	}
	return string(nsp)
}

// Path returns the mount path.
func (srv *Server) Path() string { return srv.cfg.Path }

// Sockets returns the main namespace (Node's io.sockets).
func (srv *Server) Sockets() *Namespace { return srv.main }

// Of returns the namespace name, creating it if needed (a leading "/" is
// added when missing). A name matching a parent's regexp becomes a child of
// that parent.
func (srv *Server) Of(name string) *Namespace {
	if !strings.HasPrefix(name, "/") {
		name = "/" + name
	}
	srv.mu.Lock()
	nsp := srv.nsps[name]
	created := false
	if nsp == nil {
		for _, p := range srv.parents {
			if p.re != nil && p.re.MatchString(name) {
				nsp = p.createChild(name)
				break
			}
		}
		if nsp == nil {
			nsp = newNamespace(srv, name, nil)
		}
		srv.nsps[name] = nsp
		created = name != parser.MainNamespace
	}
	hooks := srv.onNewNsp
	srv.mu.Unlock()
	if created {
		for _, fn := range hooks {
			fn(nsp)
		}
	}
	return nsp
}

// ErrInvalidRegexp is the value OfRegexp and OfFunc panic with when given a
// nil pattern or matcher: a programming error, reported where it is made
// (as regexp.MustCompile and http.Handle do) rather than on every CONNECT.
var ErrInvalidRegexp = errors.New("socketio: nil namespace pattern")

// OfRegexp returns a parent namespace accepting every name that matches re
// (Node's io.of(/regex/)). Static namespaces win over parents. It panics
// with ErrInvalidRegexp when re is nil.
func (srv *Server) OfRegexp(re *regexp.Regexp) *ParentNamespace {
	if re == nil {
		panic(ErrInvalidRegexp)
	}
	p := srv.newParent(func(name string, _ []byte) bool { return re.MatchString(name) })
	p.re = re
	return p
}

// OfFunc returns a parent namespace whose children are the names for which
// match returns true; match receives the CONNECT auth payload (raw JSON, nil
// when absent). It runs on the event loop and must not block. Parents are
// tried in creation order; the first match wins. It panics with
// ErrInvalidRegexp when match is nil.
func (srv *Server) OfFunc(match func(name string, auth []byte) bool) *ParentNamespace {
	if match == nil {
		panic(ErrInvalidRegexp)
	}
	return srv.newParent(match)
}

func (srv *Server) newParent(match func(string, []byte) bool) *ParentNamespace {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	p := &ParentNamespace{
		srv: srv, name: "/_" + strconv.Itoa(len(srv.parents)), match: match,
		children: make(map[string]*Namespace),
	}
	srv.parents = append(srv.parents, p)
	return p
}

// OnNewNamespace adds a listener called for every namespace created after
// it (except "/"), dynamic children included (Node's "new_namespace").
func (srv *Server) OnNewNamespace(fn func(*Namespace)) {
	srv.mu.Lock()
	srv.onNewNsp = append(srv.onNewNsp[:len(srv.onNewNsp):len(srv.onNewNsp)], fn)
	srv.mu.Unlock()
}

func (srv *Server) lookup(name string) *Namespace {
	srv.mu.RLock()
	defer srv.mu.RUnlock()
	return srv.nsps[name]
}

// matchDynamic asks the parents, in order, whether name is acceptable and
// creates the child of the first that accepts it.
func (srv *Server) matchDynamic(name string, auth []byte) *Namespace {
	srv.mu.RLock()
	parents := srv.parents
	srv.mu.RUnlock()
	for _, p := range parents {
		ok := false
		func() {
			defer func() {
				if r := recover(); r != nil {
					srv.logger.Error("socketio: namespace matcher panic", "panic", r)
				}
			}()
			ok = p.match(name, auth)
		}()
		if !ok {
			continue
		}
		srv.mu.Lock()
		nsp := srv.nsps[name] // race guard: created meanwhile
		if nsp == nil {
			nsp = p.createChild(name)
			srv.nsps[name] = nsp
		}
		hooks := srv.onNewNsp
		srv.mu.Unlock()
		for _, fn := range hooks {
			fn(nsp)
		}
		return nsp
	}
	return nil
}

// removeChild drops an empty child namespace (CleanupEmptyChildNamespaces).
func (srv *Server) removeChild(n *Namespace) {
	srv.mu.Lock()
	if srv.nsps[n.name] == n && n.NumSockets() == 0 {
		delete(srv.nsps, n.name)
		n.parent.mu.Lock()
		delete(n.parent.children, n.name)
		n.parent.mu.Unlock()
	} else {
		n = nil
	}
	srv.mu.Unlock()
	if n != nil {
		_ = n.adapter.Close()
	}
}

// Close disconnects every socket of every namespace with "server shutting
// down" (no DISCONNECT packet is sent, so clients reconnect), closes every
// Engine.IO session and every adapter. It waits (at most 5 s) for the event
// loops to run the disconnections, so it must not be called from a handler
// running on an event loop. Later sessions are refused.
func (srv *Server) Close() error {
	if !srv.closed.CompareAndSwap(false, true) {
		return nil
	}
	defer srv.watch.close()
	conns := srv.liveConns()
	var wg sync.WaitGroup
	for _, c := range conns {
		wg.Add(1)
		c.es.Execute(func() {
			defer wg.Done()
			c.closeWith(ReasonServerShuttingDown)
		})
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
	}
	srv.mu.RLock()
	var errs []error
	for _, n := range srv.nsps {
		errs = append(errs, n.adapter.Close())
	}
	srv.mu.RUnlock()
	return errors.Join(errs...)
}
