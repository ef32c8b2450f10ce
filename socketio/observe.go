package socketio

import (
	"slices"
	"strings"
)

// Observer receives server-wide events that no single namespace or socket
// sees: every Engine.IO session, every room change of every namespace, every
// Socket.SetData. It exists for instrumentation (package socketio/admin, the
// admin UI protocol); an application rarely needs it. Unset (the default),
// it costs one atomic load per session, room change and SetData.
//
// The functions run on the goroutine that caused the event and must not
// block: Engine on the session's home loop, the others wherever the change
// was made (often an event loop).
type Observer struct {
	// Engine runs for every new Engine.IO session before it delivers
	// anything and returns the EngineSocket the server uses for it: es
	// itself, or a wrapper that watches its traffic (its SetHandler may
	// wrap the handler to see messages, the close and the upgrade).
	Engine func(es EngineSocket) EngineSocket
	// RoomJoined and RoomLeft report a change of membership in a namespace
	// served by a MemoryAdapter (cluster adapters wrap one), the socket's
	// own room included, as Node's adapter "join-room" / "leave-room".
	RoomJoined func(nsp *Namespace, room Room, id string)
	RoomLeft   func(nsp *Namespace, room Room, id string)
	// DataSet reports Socket.SetData (Node's admin UI watches socket.data).
	DataSet func(s *Socket)
}

// Observe installs o as the server's observer, replacing any previous one
// (nil removes it). Sessions, rooms and data that exist already are not
// replayed. Any goroutine.
func (srv *Server) Observe(o *Observer) { srv.observer.Store(o) }

// Namespaces returns the namespaces that exist now, "/" first and the
// others by name, dynamic children included (Node's io._nsps). Any
// goroutine.
func (srv *Server) Namespaces() []*Namespace {
	srv.mu.RLock()
	out := make([]*Namespace, 0, len(srv.nsps))
	for _, n := range srv.nsps {
		if n != srv.main {
			out = append(out, n)
		}
	}
	srv.mu.RUnlock()
	slices.SortFunc(out, func(a, b *Namespace) int { return strings.Compare(a.name, b.name) })
	return append([]*Namespace{srv.main}, out...)
}

// observeEngine gives a new session to the observer. Home loop.
func (srv *Server) observeEngine(es EngineSocket) EngineSocket {
	if o := srv.observer.Load(); o != nil && o.Engine != nil {
		return o.Engine(es)
	}
	return es
}

// observeData reports a SetData. Any goroutine.
func (s *Socket) observeData() {
	if o := s.nsp.srv.observer.Load(); o != nil && o.DataSet != nil {
		o.DataSet(s)
	}
}

// observer returns the server's observer of the adapter's namespace.
func (a *MemoryAdapter) observer() *Observer {
	if a.nsp == nil {
		return nil
	}
	return a.nsp.srv.observer.Load()
}

// reportsJoins tells whether a join must be reported (hooks or observer),
// which costs a membership check first.
func (a *MemoryAdapter) reportsJoins() bool {
	if a.hooks.OnJoinRoom != nil {
		return true
	}
	o := a.observer()
	return o != nil && o.RoomJoined != nil
}

// reportsLeaves is reportsJoins for leaves.
func (a *MemoryAdapter) reportsLeaves() bool {
	if a.hooks.OnLeaveRoom != nil {
		return true
	}
	o := a.observer()
	return o != nil && o.RoomLeft != nil
}

// joined reports that id joined room to the hooks and the observer.
func (a *MemoryAdapter) joined(room Room, id string) {
	if a.hooks.OnJoinRoom != nil {
		a.hooks.OnJoinRoom(room, id)
	}
	if o := a.observer(); o != nil && o.RoomJoined != nil {
		o.RoomJoined(a.nsp, room, id)
	}
}

// left reports that id left room to the hooks and the observer.
func (a *MemoryAdapter) left(room Room, id string) {
	if a.hooks.OnLeaveRoom != nil {
		a.hooks.OnLeaveRoom(room, id)
	}
	if o := a.observer(); o != nil && o.RoomLeft != nil {
		o.RoomLeft(a.nsp, room, id)
	}
}
