package remote

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/sio-fast/sio-fast/internal/jsonx"
	"github.com/sio-fast/sio-fast/socketio"
)

// SocketJSON is a socket in a fetchSockets answer (REMOTE_FETCH,
// FETCH_SOCKETS_RESPONSE):
// {id, handshake, rooms, data}, handshake as Node's (without sessionStore).
type SocketJSON struct {
	ID        string          `json:"id"`
	Handshake HandshakeJSON   `json:"handshake"`
	Rooms     []string        `json:"rooms"`
	Data      json.RawMessage `json:"data,omitempty"`
}

type HandshakeJSON struct {
	Headers map[string]StringOrList `json:"headers"`
	Time    string                  `json:"time"`
	Address string                  `json:"address"`
	XDomain bool                    `json:"xdomain"`
	Secure  bool                    `json:"secure"`
	Issued  int64                   `json:"issued"`
	URL     string                  `json:"url"`
	Query   map[string]StringOrList `json:"query"`
	Auth    json.RawMessage         `json:"auth"`
}

// StringOrList is a header or query value: Node gives a string, or an array
// for repeated ones (set-cookie, a=1&a=2).
type StringOrList []string

func (s *StringOrList) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '[' {
		var l []string
		err := jsonx.Unmarshal(b, &l)
		*s = l
		return err
	}
	var one string
	if err := jsonx.Unmarshal(b, &one); err != nil {
		return nil // a value of another type (numbers from custom code): ignored
	}
	*s = StringOrList{one}
	return nil
}

func (s StringOrList) MarshalJSON() ([]byte, error) {
	if len(s) == 1 {
		return jsonx.Marshal(s[0])
	}
	return jsonx.Marshal([]string(s))
}

// Socket is a socket of another node, as FetchSockets returns it. Its
// actions are broadcasts and requests through the cluster aimed at its id
// room, as Node's RemoteSocket does. Safe from any goroutine.
type Socket struct {
	nsp   *socketio.Namespace
	id    string
	hs    *socketio.Handshake
	rooms []socketio.Room
	data  any
}

// NewSocket returns the proxy of the socket j of another node.
func NewSocket(nsp *socketio.Namespace, j *SocketJSON) *Socket {
	r := &Socket{nsp: nsp, id: j.ID, rooms: j.Rooms, hs: j.Handshake.ToHandshake()}
	if len(j.Data) > 0 {
		_ = jsonx.Unmarshal(j.Data, &r.data)
	}
	return r
}

// ToHandshake converts a received handshake.
func (h *HandshakeJSON) ToHandshake() *socketio.Handshake {
	hs := &socketio.Handshake{
		Headers: http.Header{}, Time: h.Time, Address: h.Address, XDomain: h.XDomain, Secure: h.Secure,
		Issued: h.Issued, URL: h.URL, Query: url.Values{}, Auth: h.Auth,
	}
	for k, v := range h.Headers {
		hs.Headers[http.CanonicalHeaderKey(k)] = v
	}
	for k, v := range h.Query {
		hs.Query[k] = v
	}
	return hs
}

func (r *Socket) ID() string                     { return r.id }
func (r *Socket) Handshake() *socketio.Handshake { return r.hs }
func (r *Socket) Rooms() []socketio.Room         { return r.rooms }
func (r *Socket) Data() any                      { return r.data }
func (r *Socket) Join(rooms ...socketio.Room)    { r.nsp.In(r.id).SocketsJoin(rooms...) }
func (r *Socket) Leave(room socketio.Room)       { r.nsp.In(r.id).SocketsLeave(room) }
func (r *Socket) Disconnect(close bool)          { r.nsp.In(r.id).DisconnectSockets(close) }
func (r *Socket) Emit(event string, args ...any) error {
	return r.nsp.To(r.id).Emit(event, args...)
}

// LocalSocketsJSON is the sockets array of a fetchSockets answer for the
// local sockets selected by opts (an error only if a socket's Data does
// not encode; the array is then empty).
func LocalSocketsJSON(mem *socketio.MemoryAdapter, opts *socketio.BroadcastOptions) ([]byte, error) {
	sockets, _ := mem.FetchSockets(opts)
	out := make([]SocketJSON, 0, len(sockets))
	for _, s := range sockets {
		j := SocketJSON{ID: s.ID(), Handshake: HandshakeOf(s.Handshake()), Rooms: s.Rooms()}
		if d := s.Data(); d != nil {
			if b, err := jsonx.Marshal(d); err == nil {
				j.Data = b
			}
		}
		out = append(out, j)
	}
	b, err := jsonx.Marshal(out)
	if err != nil {
		return []byte("[]"), err
	}
	return b, nil
}

// HandshakeOf writes a handshake the way Node serialises one: lower-case
// header names, one string per header (repeated values joined by ", ",
// set-cookie as a list), query values as strings.
func HandshakeOf(h *socketio.Handshake) HandshakeJSON {
	j := HandshakeJSON{
		Headers: make(map[string]StringOrList, len(h.Headers)), Time: h.Time, Address: h.Address, XDomain: h.XDomain,
		Secure: h.Secure, Issued: h.Issued, URL: h.URL, Query: make(map[string]StringOrList, len(h.Query)), Auth: h.Auth,
	}
	for k, v := range h.Headers {
		k = strings.ToLower(k)
		if k == "set-cookie" || len(v) == 1 {
			j.Headers[k] = v
		} else {
			j.Headers[k] = StringOrList{strings.Join(v, ", ")}
		}
	}
	for k, v := range h.Query {
		j.Query[k] = v
	}
	if len(j.Auth) == 0 {
		j.Auth = json.RawMessage(`{}`)
	}
	return j
}
