package standalone

import (
	_ "embed"
	"net/http"

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

// chat is the demo: every "chat" message goes to everyone else; the
// number of users is announced on arrival and departure.
func chat(sio *socketio.Server) {
	onChat := func(s *socketio.Socket, args socketio.Args, ack socketio.AckFunc) {
		_ = s.Broadcast().Emit("chat", args.Arg(0))
		if ack != nil {
			ack("delivered")
		}
	}
	onLeave := func(s *socketio.Socket, reason socketio.DisconnectReason) {
		_ = sio.Emit("users", sio.Sockets().NumSockets())
	}
	sio.OnConnection(func(s *socketio.Socket) {
		_ = sio.Emit("users", sio.Sockets().NumSockets())
		s.On("chat", onChat)
		s.OnDisconnect(onLeave)
	})
}
