package socketio

import (
	"encoding/json"
	"regexp"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sio-fast/sio-fast/engineio"
	"github.com/sio-fast/sio-fast/internal/idset"
	"github.com/sio-fast/sio-fast/socketio/parser"
)

// Namespace is a Socket.IO namespace ("/", "/chat", or a child of a parent
// namespace). Every method is safe from any goroutine.
type Namespace struct {
	srv     *Server
	name    string
	parent  *ParentNamespace
	adapter Adapter
	ids     atomic.Int64 // ack ids, shared by all sockets and broadcasts

	mu      sync.RWMutex
	sockets *idset.Set[Socket] // by id; an idset, about 25 bytes less per socket than a map
	mws     []Middleware
	onConn  []func(*Socket)

	// handlers is the handler list the namespace's sockets share when they
	// register the same handlers (see eventHandlers).
	handlers sharedHandlers

	serverSide atomic.Pointer[serverSideHandlers] // events from other nodes (cluster.go)

	// rcpt lays the sockets out per loop for the MemoryAdapter's
	// broadcasts to all (recipients.go); empty with other adapters.
	rcpt recipients
	// anyOut: a socket of the namespace had outgoing catch-all listeners
	// once (never cleared), so broadcasts to all read every recipient's
	// Socket to notify them (fanout.go).
	anyOut atomic.Bool
}

func newNamespace(srv *Server, name string, parent *ParentNamespace) *Namespace {
	n := &Namespace{srv: srv, name: name, parent: parent, sockets: idset.New((*Socket).ID)}
	n.adapter = srv.cfg.NewAdapter(n)
	if err := n.adapter.Init(); err != nil {
		srv.logger.Error("socketio: adapter init", "namespace", name, "err", err)
	}
	return n
}

// Name returns the namespace name, e.g. "/chat".
func (n *Namespace) Name() string { return n.name }

// Server returns the server.
func (n *Namespace) Server() *Server { return n.srv }

// Adapter returns the namespace's adapter.
func (n *Namespace) Adapter() Adapter { return n.adapter }

// Use adds a namespace middleware. Middlewares added after a socket started
// connecting do not apply to it.
func (n *Namespace) Use(mw Middleware) *Namespace {
	n.mu.Lock()
	n.mws = append(n.mws[:len(n.mws):len(n.mws)], mw)
	n.mu.Unlock()
	return n
}

// OnConnection adds a connection listener (Node's "connection" event). It
// runs where handlers run, after the CONNECT reply was queued: register the
// socket's event handlers there.
func (n *Namespace) OnConnection(fn func(s *Socket)) *Namespace {
	n.mu.Lock()
	n.onConn = append(n.onConn[:len(n.onConn):len(n.onConn)], fn)
	n.mu.Unlock()
	return n
}

// hooks returns the current middlewares and connection listeners
// (copy-on-write slices, safe to iterate).
func (n *Namespace) hooks() ([]Middleware, []func(*Socket)) {
	n.mu.RLock()
	defer n.mu.RUnlock()
	return n.mws, n.onConn
}

// Socket returns the connected socket with this id, or nil.
func (n *Namespace) Socket(id string) *Socket {
	n.mu.RLock()
	defer n.mu.RUnlock()
	return n.sockets.Get(id)
}

// Sockets returns the connected sockets (a snapshot).
func (n *Namespace) Sockets() []*Socket {
	n.mu.RLock()
	defer n.mu.RUnlock()
	out := make([]*Socket, 0, n.sockets.Len())
	for s := range n.sockets.All() {
		out = append(out, s)
	}
	return out
}

// NumSockets returns the number of connected sockets.
func (n *Namespace) NumSockets() int {
	n.mu.RLock()
	defer n.mu.RUnlock()
	return n.sockets.Len()
}

// socketByID returns the connected socket with id, or nil. Any goroutine.
func (n *Namespace) socketByID(id string) *Socket {
	n.mu.RLock()
	s := n.sockets.Get(id)
	n.mu.RUnlock()
	return s
}

func (n *Namespace) add(s *Socket) {
	n.mu.Lock()
	n.sockets.Add(s)
	n.mu.Unlock()
}

// remove forgets a disconnected socket and, with
// CleanupEmptyChildNamespaces, removes an empty child namespace.
func (n *Namespace) remove(s *Socket) {
	n.mu.Lock()
	n.sockets.Remove(s)
	empty := n.sockets.Len() == 0
	n.mu.Unlock()
	if empty && n.parent != nil && n.srv.cfg.CleanupEmptyChildNamespaces {
		n.srv.removeChild(n)
	}
}

func (n *Namespace) nextAckID() int64 { return n.ids.Add(1) - 1 }

// newSocket creates a connecting socket of n on c.
func newSocket(n *Namespace, c *conn, auth []byte) *Socket {
	s := &Socket{nsp: n, conn: c, socketExtras: &noExtras}
	s.es, _ = c.es.(*engineio.Socket)
	switch {
	case !c.v3:
		s.id = newSocketID()
	case n.name == parser.MainNamespace:
		s.id = c.es.ID()
	default:
		s.id = n.name + "#" + c.es.ID()
	}
	s.created = time.Now().UnixMilli()
	if len(auth) > 0 {
		s.own().auth = append(json.RawMessage(nil), auth...) // not yet shared: no lock needed
	}
	if n.srv.recovery != nil {
		s.own().rec = &socketRecovery{pid: newSocketID()} // a recovered socket gets its session's instead
	}
	return s
}

// ParentNamespace is a dynamic namespace: a regexp or a function decides
// which namespace names it accepts, and each accepted name becomes a child
// Namespace. Middlewares and connection listeners are copied into each child
// when it is created (later additions do not reach existing children).
// Emits fan out to every current child. Safe from any goroutine.
type ParentNamespace struct {
	srv   *Server
	name  string // "/_0", "/_1", ... (Node's internal names)
	re    *regexp.Regexp
	match func(name string, auth []byte) bool

	mu       sync.RWMutex
	mws      []Middleware
	onConn   []func(*Socket)
	children map[string]*Namespace
}

// Name returns the internal name ("/_0", ...).
func (p *ParentNamespace) Name() string { return p.name }

// Use adds a middleware copied into children created from now on.
func (p *ParentNamespace) Use(mw Middleware) *ParentNamespace {
	p.mu.Lock()
	p.mws = append(p.mws, mw)
	p.mu.Unlock()
	return p
}

// OnConnection adds a connection listener copied into children created
// from now on.
func (p *ParentNamespace) OnConnection(fn func(*Socket)) *ParentNamespace {
	p.mu.Lock()
	p.onConn = append(p.onConn, fn)
	p.mu.Unlock()
	return p
}

// Children returns the current child namespaces.
func (p *ParentNamespace) Children() []*Namespace {
	p.mu.RLock()
	defer p.mu.RUnlock()
	out := make([]*Namespace, 0, len(p.children))
	for _, c := range p.children {
		out = append(out, c)
	}
	return out
}

// createChild creates the child name. The server lock is held.
func (p *ParentNamespace) createChild(name string) *Namespace {
	child := newNamespace(p.srv, name, p)
	p.mu.Lock()
	child.mws = append([]Middleware(nil), p.mws...)
	child.onConn = append([](func(*Socket))(nil), p.onConn...)
	p.children[name] = child
	p.mu.Unlock()
	return child
}

// To starts a broadcast to rooms of every child.
func (p *ParentNamespace) To(rooms ...Room) BroadcastOperator {
	return BroadcastOperator{parent: p}.To(rooms...)
}

// Except starts a broadcast to every child except rooms.
func (p *ParentNamespace) Except(rooms ...Room) BroadcastOperator {
	return BroadcastOperator{parent: p}.Except(rooms...)
}

// Emit broadcasts to every socket of every child.
func (p *ParentNamespace) Emit(event string, args ...any) error {
	return BroadcastOperator{parent: p}.Emit(event, args...)
}

// FetchSockets is not supported on a parent namespace (as in Node).
func (p *ParentNamespace) FetchSockets() ([]RemoteSocket, error) { return nil, ErrParentNamespace }
