package admin

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/sio-fast/sio-fast/socketio"
)

// StatsInterval is how often server_stats is broadcast (Node: 2 s; the UI
// marks a server unhealthy after 10 s without one).
const StatsInterval = 2 * time.Second

// Admin is an installed instrumentation. Its methods are safe from any
// goroutine.
type Admin struct {
	srv      *socketio.Server
	nsp      *socketio.Namespace
	opts     Options
	features []string
	hostname string
	pid      int

	sessions sessionStore
	stats    statsCounters

	mu      sync.Mutex
	watched map[*socketio.Namespace]bool      // namespaces whose sockets are reported
	sockets map[*socketio.Socket]*socketState // reported sockets (development mode)
	engines map[*engineWatch]struct{}         // open Engine.IO sessions

	closed   atomic.Bool
	stop     chan struct{}
	stopOnce sync.Once
	done     chan struct{}
}

// Instrument serves the admin UI protocol on srv (Node's instrument(io,
// opts)) and starts the stats broadcast. It replaces srv's Observer. Call
// it before the server accepts connections: sessions opened earlier are
// not counted. Any goroutine.
func Instrument(srv *socketio.Server, opts Options) (*Admin, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	a := &Admin{
		srv: srv, opts: opts, features: opts.features(), hostname: hostname(), pid: pid(),
		sessions: sessionStore{ids: map[string]struct{}{}},
		watched:  map[*socketio.Namespace]bool{},
		sockets:  map[*socketio.Socket]*socketState{},
		engines:  map[*engineWatch]struct{}{},
		stop:     make(chan struct{}), done: make(chan struct{}),
	}
	a.nsp = srv.Of(opts.NamespaceName)
	if opts.Auth != nil {
		a.nsp.Use(a.authenticate)
	}
	a.nsp.OnConnection(a.onAdminConnection)
	obs := &socketio.Observer{Engine: a.watchEngine}
	if opts.Mode == Development {
		obs.RoomJoined, obs.RoomLeft, obs.DataSet = a.roomJoined, a.roomLeft, a.dataSet
		srv.OnNewNamespace(a.watchNamespace)
		for _, n := range srv.Namespaces() {
			a.watchNamespace(n)
		}
	}
	srv.Observe(obs)
	go a.statsLoop()
	return a, nil
}

// Namespace returns the admin namespace.
func (a *Admin) Namespace() *socketio.Namespace { return a.nsp }

// Close stops the stats broadcast and every report, and removes the
// server's Observer. The admin namespace stays (a socketio namespace cannot
// be removed), and so do its action handlers on connected admin sockets.
func (a *Admin) Close() error {
	a.stopOnce.Do(func() {
		a.closed.Store(true)
		close(a.stop)
		a.srv.Observe(nil)
	})
	<-a.done
	return nil
}

// statsLoop broadcasts server_stats now and every StatsInterval.
func (a *Admin) statsLoop() {
	defer close(a.done)
	t := time.NewTicker(StatsInterval)
	defer t.Stop()
	for {
		a.emit("server_stats", a.serverStats())
		select {
		case <-a.stop:
			return
		case <-t.C:
		}
	}
}

// emit broadcasts an admin event to every admin client. Errors (a closed
// server) are dropped: the UI only watches.
func (a *Admin) emit(event string, args ...any) {
	if !a.closed.Load() {
		_ = a.nsp.Emit(event, args...)
	}
}

// now is a JavaScript Date as JSON carries it.
func now() string { return isoDate(time.Now()) }

func isoDate(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }
