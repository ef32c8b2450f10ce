package admin

import (
	"encoding/json"
	"strings"

	"github.com/sio-fast/sio-fast/socketio"
)

// socketState is what the admin keeps of a reported socket.
type socketState struct {
	engine *engineWatch // nil when the session is not watched
	// leftRooms holds the rooms a disconnecting socket left: Node reports
	// them after socket_disconnected, and so does this package.
	leftRooms []string
}

// watchNamespace reports the sockets of n (development mode): those there
// now and those that connect later. Any goroutine; once per namespace.
func (a *Admin) watchNamespace(n *socketio.Namespace) {
	a.mu.Lock()
	seen := a.watched[n]
	a.watched[n] = true
	a.mu.Unlock()
	if seen {
		return
	}
	n.OnConnection(a.socketConnected)
	for _, s := range n.Sockets() {
		a.track(s)
	}
}

// socketConnected reports a new socket and watches it. Runs as a
// connection listener.
func (a *Admin) socketConnected(s *socketio.Socket) {
	a.emit("socket_connected", a.serialize(s), now())
	a.track(s)
}

// track registers the listeners that report s's events and disconnection.
func (a *Admin) track(s *socketio.Socket) {
	st := &socketState{}
	st.engine, _ = s.Conn().(*engineWatch)
	a.mu.Lock()
	if _, dup := a.sockets[s]; dup {
		a.mu.Unlock()
		return
	}
	a.sockets[s] = st
	a.mu.Unlock()
	if st.engine != nil {
		st.engine.addSocket(s)
	}
	nsp := s.Namespace().Name()
	if s.Namespace() != a.nsp {
		s.OnAny(func(s *socketio.Socket, event string, args socketio.Args, _ socketio.AckFunc) {
			a.emit("event_received", nsp, s.ID(), eventArray(event, args), now())
		})
		s.OnAnyOutgoing(func(s *socketio.Socket, event string, args socketio.Args, _ socketio.AckFunc) {
			a.emit("event_sent", nsp, s.ID(), eventArray(event, args), now())
		})
	}
	s.OnDisconnect(func(s *socketio.Socket, reason socketio.DisconnectReason) {
		a.mu.Lock()
		delete(a.sockets, s)
		a.mu.Unlock()
		if st.engine != nil {
			st.engine.removeSocket(s)
		}
		a.emit("socket_disconnected", nsp, s.ID(), string(reason), now())
		for _, r := range st.leftRooms {
			a.emit("room_left", nsp, r, s.ID(), now())
		}
	})
}

// eventArray is [event, ...args] as JSON (binary values as placeholders).
func eventArray(event string, args socketio.Args) json.RawMessage {
	out, _ := json.Marshal(event)
	out = append([]byte{'['}, out...)
	if b, err := args.AppendJSON(nil); err == nil && len(b) > 2 {
		out = append(append(out, ','), b[1:len(b)-1]...)
	}
	return append(out, ']')
}

// roomJoined is the Observer's RoomJoined hook.
func (a *Admin) roomJoined(n *socketio.Namespace, room socketio.Room, id string) {
	if a.reported(n) {
		a.emit("room_joined", n.Name(), room, id, now())
	}
}

// roomLeft is the Observer's RoomLeft hook. A socket that is leaving its
// namespace has its rooms reported after its socket_disconnected.
func (a *Admin) roomLeft(n *socketio.Namespace, room socketio.Room, id string) {
	if !a.reported(n) {
		return
	}
	if s := n.Socket(id); s != nil && !s.Connected() {
		a.mu.Lock()
		st := a.sockets[s]
		if st != nil {
			st.leftRooms = append(st.leftRooms, room)
		}
		a.mu.Unlock()
		if st != nil {
			return
		}
	}
	a.emit("room_left", n.Name(), room, id, now())
}

// dataSet is the Observer's DataSet hook.
func (a *Admin) dataSet(s *socketio.Socket) {
	if a.reported(s.Namespace()) {
		a.emit("socket_updated", socketData{ID: s.ID(), Nsp: s.Namespace().Name(), Data: serializeData(s.Data())})
	}
}

// reported tells whether n's sockets are reported.
func (a *Admin) reported(n *socketio.Namespace) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.watched[n]
}

// serializedSocket is Node's SerializedSocket.
type serializedSocket struct {
	ID        string          `json:"id"`
	ClientID  string          `json:"clientId"`
	Transport string          `json:"transport"`
	Nsp       string          `json:"nsp"`
	Data      json.RawMessage `json:"data"`
	Handshake handshake       `json:"handshake"`
	Rooms     []string        `json:"rooms"`
}

type handshake struct {
	Address string            `json:"address"`
	Headers map[string]string `json:"headers"`
	Query   map[string]string `json:"query"`
	Issued  int64             `json:"issued"`
	Secure  bool              `json:"secure"`
	Time    string            `json:"time"`
	URL     string            `json:"url"`
	XDomain bool              `json:"xdomain"`
}

// socketData and socketTransport are the two forms of socket_updated.
type socketData struct {
	ID   string          `json:"id"`
	Nsp  string          `json:"nsp"`
	Data json.RawMessage `json:"data"`
}

type socketTransport struct {
	ID        string `json:"id"`
	Nsp       string `json:"nsp"`
	Transport string `json:"transport"`
}

// serialize describes s as the UI lists it.
func (a *Admin) serialize(s *socketio.Socket) serializedSocket {
	hs := s.Handshake()
	es := s.Conn()
	clientID := es.ID()
	if len(clientID) > 12 {
		clientID = clientID[:12] // as Node's _admin.clientId
	}
	headers := make(map[string]string, len(hs.Headers))
	for k, v := range hs.Headers {
		headers[strings.ToLower(k)] = strings.Join(v, ", ")
	}
	query := make(map[string]string, len(hs.Query))
	for k, v := range hs.Query {
		if len(v) > 0 {
			query[k] = v[0]
		}
	}
	addr := hs.Address
	if v := headers["x-forwarded-for"]; v != "" {
		addr = v
	}
	if v := headers["cf-connecting-ip"]; v != "" {
		addr = v
	}
	rooms := s.Rooms()
	if rooms == nil {
		rooms = []string{}
	}
	return serializedSocket{
		ID: s.ID(), ClientID: clientID, Transport: es.Transport(), Nsp: s.Namespace().Name(),
		Data: serializeData(s.Data()),
		Handshake: handshake{
			Address: addr, Headers: headers, Query: query, Issued: hs.Issued, Secure: hs.Secure,
			Time: hs.Time, URL: hs.URL, XDomain: hs.XDomain,
		},
		Rooms: rooms,
	}
}

// serializeData is socket.data as JSON: {} when unset, null when it cannot
// be encoded.
func serializeData(v any) json.RawMessage {
	if v == nil {
		return json.RawMessage("{}")
	}
	b, err := json.Marshal(v)
	if err != nil {
		return json.RawMessage("null")
	}
	return b
}

// allSockets lists the sockets of every namespace (all_sockets).
func (a *Admin) allSockets() []serializedSocket {
	out := []serializedSocket{}
	for _, n := range a.srv.Namespaces() {
		for _, s := range n.Sockets() {
			out = append(out, a.serialize(s))
		}
	}
	return out
}
