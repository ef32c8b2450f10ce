package standalone

import (
	_ "embed"
	"net/http"
	"time"

	"github.com/sio-fast/sio-fast/engineio"
	"github.com/sio-fast/sio-fast/socketio"
)

//go:embed chat.html
var chatPage []byte

// demoPage serves the chat page at / (the engine's Fallback).
func demoPage(r *engineio.Request) (int, http.Header, []byte) {
	if r.Path() == "/" || r.Path() == "/index.html" {
		return 200, http.Header{"Content-Type": {"text/html; charset=utf-8"}}, chatPage
	}
	return 404, http.Header{"Content-Type": {"text/plain; charset=utf-8"}}, []byte("Not Found")
}

// usersEvery is the shortest interval between two of the demo's "users"
// announcements.
const usersEvery = time.Second

// chat is the demo: every "chat" message goes to everyone else; the number
// of users is announced on arrival and departure, at most once per every
// (announcer): each announcement goes to every socket of "/", so one per
// arrival would cost O(n) per connection.
func chat(sio *socketio.Server, every time.Duration) {
	users := &announcer{every: every, send: func() {
		_ = sio.Emit("users", sio.Sockets().NumSockets())
	}}
	onChat := func(s *socketio.Socket, args socketio.Args, ack socketio.AckFunc) {
		_ = s.Broadcast().Emit("chat", args.Arg(0))
		if ack != nil {
			ack("delivered")
		}
	}
	onLeave := func(*socketio.Socket, socketio.DisconnectReason) { users.poke() }
	sio.OnConnection(func(s *socketio.Socket) {
		users.poke()
		s.On("chat", onChat)
		s.OnDisconnect(onLeave)
	})
}
