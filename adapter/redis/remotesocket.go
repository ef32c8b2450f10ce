package redis

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/sio-fast/sio-fast/internal/jsonx"
	"github.com/sio-fast/sio-fast/socketio"
)

// remoteSocketJSON is a socket in a REMOTE_FETCH response:
// {id, handshake, rooms, data}, handshake as Node's (without sessionStore).
type remoteSocketJSON struct {
	ID        string          `json:"id"`
	Handshake handshakeJSON   `json:"handshake"`
	Rooms     []string        `json:"rooms"`
	Data      json.RawMessage `json:"data,omitempty"`
}

type handshakeJSON struct {
	Headers map[string]stringOrList `json:"headers"`
	Time    string                  `json:"time"`
	Address string                  `json:"address"`
	XDomain bool                    `json:"xdomain"`
	Secure  bool                    `json:"secure"`
	Issued  int64                   `json:"issued"`
	URL     string                  `json:"url"`
	Query   map[string]stringOrList `json:"query"`
	Auth    json.RawMessage         `json:"auth"`
}

// stringOrList is a header or query value: Node gives a string, or an array
// for repeated ones (set-cookie, a=1&a=2).
type stringOrList []string

func (s *stringOrList) UnmarshalJSON(b []byte) error {
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
	*s = stringOrList{one}
	return nil
}

func (s stringOrList) MarshalJSON() ([]byte, error) {
	if len(s) == 1 {
		return jsonx.Marshal(s[0])
	}
	return jsonx.Marshal([]string(s))
}

// remoteSocket is a socket of another node, as FetchSockets returns it. Its
// actions are requests through Redis aimed at its id room, as Node's
// RemoteSocket does. Safe from any goroutine.
type remoteSocket struct {
	a     *Adapter
	id    string
	hs    *socketio.Handshake
	rooms []socketio.Room
	data  any
}

func (a *Adapter) newRemoteSocket(j *remoteSocketJSON) *remoteSocket {
	r := &remoteSocket{a: a, id: j.ID, rooms: j.Rooms, hs: j.Handshake.toHandshake()}
	if len(j.Data) > 0 {
		_ = jsonx.Unmarshal(j.Data, &r.data)
	}
	return r
}

func (h *handshakeJSON) toHandshake() *socketio.Handshake {
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

func (r *remoteSocket) ID() string                     { return r.id }
func (r *remoteSocket) Handshake() *socketio.Handshake { return r.hs }
func (r *remoteSocket) Rooms() []socketio.Room         { return r.rooms }
func (r *remoteSocket) Data() any                      { return r.data }
func (r *remoteSocket) Join(rooms ...socketio.Room)    { r.a.nsp.In(r.id).SocketsJoin(rooms...) }
func (r *remoteSocket) Leave(room socketio.Room)       { r.a.nsp.In(r.id).SocketsLeave(room) }
func (r *remoteSocket) Disconnect(close bool)          { r.a.nsp.In(r.id).DisconnectSockets(close) }
func (r *remoteSocket) Emit(event string, args ...any) error {
	return r.a.nsp.To(r.id).Emit(event, args...)
}

// localSocketsJSON is the sockets array of a REMOTE_FETCH response for the
// local sockets selected by opts.
func (a *Adapter) localSocketsJSON(opts *socketio.BroadcastOptions) []byte {
	sockets, _ := a.mem.FetchSockets(opts)
	out := make([]remoteSocketJSON, 0, len(sockets))
	for _, s := range sockets {
		j := remoteSocketJSON{ID: s.ID(), Handshake: handshakeOf(s.Handshake()), Rooms: s.Rooms()}
		if d := s.Data(); d != nil {
			if b, err := jsonx.Marshal(d); err == nil {
				j.Data = b
			}
		}
		out = append(out, j)
	}
	b, err := jsonx.Marshal(out)
	if err != nil {
		a.log.Error("redis fetchSockets answer not encodable", "err", err)
		return []byte("[]")
	}
	return b
}

// handshakeOf writes a handshake the way Node serialises one: lower-case
// header names, one string per header (repeated values joined by ", ",
// set-cookie as a list), query values as strings.
func handshakeOf(h *socketio.Handshake) handshakeJSON {
	j := handshakeJSON{
		Headers: make(map[string]stringOrList, len(h.Headers)), Time: h.Time, Address: h.Address, XDomain: h.XDomain,
		Secure: h.Secure, Issued: h.Issued, URL: h.URL, Query: make(map[string]stringOrList, len(h.Query)), Auth: h.Auth,
	}
	for k, v := range h.Headers {
		k = strings.ToLower(k)
		if k == "set-cookie" || len(v) == 1 {
			j.Headers[k] = v
		} else {
			j.Headers[k] = stringOrList{strings.Join(v, ", ")}
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
