package standalone

import (
	"path"
	"strings"

	"github.com/sio-fast/sio-fast/socketio"
)

// The channel events clients send (each with an ack):
//
//	subscribe(room)            → {ok:true} | {error}
//	unsubscribe(room)          → {ok:true}
//	presence(room)             → {count[, members]} | {error}
//	publish(room, event, data) → {ok:true} | {error}   (to the room but the sender)
//
// A room is allowed when it matches a pattern of the namespace's policy
// (path.Match syntax, {sub} replaced by the token's subject) or, for
// subscribe, a pattern of the token's channels claim. publish is refused
// unless a publish pattern allows it.

type verdict struct {
	OK    bool   `json:"ok,omitempty"`
	Error string `json:"error,omitempty"`
}

func (s *Server) onSubscribe(sock *socketio.Socket, args socketio.Args, ack socketio.AckFunc) {
	room, ok := args.String(0)
	id := identityOf(sock)
	switch {
	case !ok || room == "":
		reply(ack, verdict{Error: "subscribe: the first argument must be a room name"})
	case !s.allowed(sock, func(p NamespacePolicy) []string { return p.Subscribe }, room) &&
		(id == nil || !matchAny(id.Channels, id.Subject, room)):
		reply(ack, verdict{Error: "subscribe: room " + room + " not allowed"})
	default:
		sock.Join(room)
		reply(ack, verdict{OK: true})
	}
}

func (s *Server) onUnsubscribe(sock *socketio.Socket, args socketio.Args, ack socketio.AckFunc) {
	room, ok := args.String(0)
	if !ok || room == "" || room == sock.ID() {
		reply(ack, verdict{Error: "unsubscribe: the first argument must be a room name"})
		return
	}
	sock.Leave(room)
	reply(ack, verdict{OK: true})
}

type presence struct {
	Count   int      `json:"count"`
	Members []string `json:"members,omitempty"`
}

func (s *Server) onPresence(sock *socketio.Socket, args socketio.Args, ack socketio.AckFunc) {
	room, ok := args.String(0)
	if !ok || !s.allowed(sock, func(p NamespacePolicy) []string { return p.Presence }, room) {
		reply(ack, verdict{Error: "presence: room " + room + " not allowed"})
		return
	}
	ids := sock.Namespace().Adapter().Sockets([]socketio.Room{room})
	p := presence{Count: len(ids)}
	if s.allowed(sock, func(p NamespacePolicy) []string { return p.Members }, room) {
		p.Members = memberNames(sock.Namespace(), ids)
	}
	reply(ack, p)
}

func (s *Server) onPublish(sock *socketio.Socket, args socketio.Args, ack socketio.AckFunc) {
	room, ok1 := args.String(0)
	event, ok2 := args.String(1)
	switch {
	case !ok1 || !ok2 || room == "" || event == "":
		reply(ack, verdict{Error: "publish: arguments are room, event, data"})
	case reservedEvent(event):
		reply(ack, verdict{Error: "publish: event " + event + " is reserved"})
	case !s.allowed(sock, func(p NamespacePolicy) []string { return p.Publish }, room):
		reply(ack, verdict{Error: "publish: room " + room + " not allowed"})
	default:
		_ = sock.To(room).Emit(event, args.Arg(2))
		reply(ack, verdict{OK: true})
	}
}

// allowed reports whether room matches one of the patterns pick selects in
// the live policy of sock's namespace.
func (s *Server) allowed(sock *socketio.Socket, pick func(NamespacePolicy) []string, room string) bool {
	pol, ok := s.live.Load().policy.Namespaces[sock.Namespace().Name()]
	if !ok {
		return false
	}
	sub := ""
	if id := identityOf(sock); id != nil {
		sub = id.Subject
	}
	return matchAny(pick(pol), sub, room)
}

// matchAny reports whether room matches a pattern, {sub} standing for sub
// (escaped, so a subject cannot widen the pattern; a pattern with {sub}
// never matches when there is no subject).
func matchAny(patterns []string, sub, room string) bool {
	for _, p := range patterns {
		if strings.Contains(p, "{sub}") {
			if sub == "" {
				continue
			}
			p = strings.ReplaceAll(p, "{sub}", escapeMatch(sub))
		}
		if ok, _ := path.Match(p, room); ok {
			return true
		}
	}
	return false
}

func escapeMatch(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`*?[]\`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// memberNames lists the members of a room: their subjects when
// authenticated, else their socket ids.
func memberNames(nsp *socketio.Namespace, ids []string) []string {
	out := make([]string, 0, len(ids))
	for _, sid := range ids {
		name := sid
		if sock := nsp.Socket(sid); sock != nil {
			if id := identityOf(sock); id != nil && id.Subject != "" {
				name = id.Subject
			}
		}
		out = append(out, name)
	}
	return out
}

func reply(ack socketio.AckFunc, v any) {
	if ack != nil {
		_ = ack(v)
	}
}

// reservedEvent: names the Socket.IO client reserves.
func reservedEvent(name string) bool {
	switch name {
	case "connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener":
		return true
	}
	return false
}
