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

// usersRoom holds the sockets that asked for the user count (the demo page
// emits "users" on connect).
const usersRoom = "demo:users"

// chat is the demo: every "chat" message goes to everyone else; a socket
// that emits "users" is told the number of connected sockets at once and
// again on arrivals and departures, at most once per every (announcer).
// Only those sockets: other clients of "/" never asked for the count. And
// at most once per every: each announcement goes to all of them, so one
// per arrival would cost O(n) per connection, O(n²) per ramp. The count is
// this node's, so it stays on this node (Local).
func chat(sio *socketio.Server, every time.Duration) {
	count := func() int { return sio.Sockets().NumSockets() }
	users := &announcer{every: every, send: func() {
		_ = sio.To(usersRoom).Local().Emit("users", count())
	}}
	onUsers := func(s *socketio.Socket, _ socketio.Args, _ socketio.AckFunc) {
		s.Join(usersRoom)
		_ = s.Emit("users", count())
	}
	onChat := func(s *socketio.Socket, args socketio.Args, ack socketio.AckFunc) {
		_ = s.Broadcast().Emit("chat", args.Arg(0))
		if ack != nil {
			ack("delivered")
		}
	}
	onLeave := func(*socketio.Socket, socketio.DisconnectReason) { users.poke() }
	sio.OnConnection(func(s *socketio.Socket) {
		users.poke()
		s.On("users", onUsers)
		s.On("chat", onChat)
		s.OnDisconnect(onLeave)
	})
}
