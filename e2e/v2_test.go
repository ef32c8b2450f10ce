package e2e

import (
	"github.com/sio-fast/sio-fast/internal/scripttest"

	"testing"
	"time"

	"github.com/sio-fast/sio-fast/engineio"
	"github.com/sio-fast/sio-fast/socketio"
)

// TestSocketIOClientV2 smoke-tests Engine.IO v3 (AllowEIO3) with npm
// socket.io-client 2.5: polling with an upgrade, WebSocket only and polling
// only; acks, binary, server events and broadcasts; a namespace other than
// "/" with its query as auth (accepted and refused); client and server
// disconnects.
func TestSocketIOClientV2(t *testing.T) {
	scripttest.NeedNode(t, "v2")
	url := startServer(t, engineio.Config{AllowEIO3: true}, v2App)
	scripttest.RunCases(t, 40*time.Second,
		[]string{"polling-upgrade", "ack-websocket", "binary-websocket", "ack-polling", "binary-polling",
			"receive-event", "broadcast-from-other-client", "namespace", "namespace-refused",
			"client-disconnect", "server-disconnect"},
		"v2", "node", "client.js", url)
}

// v2App is the application the v2 client drives.
func v2App(sio *socketio.Server) {
	sio.OnConnection(func(s *socketio.Socket) {
		s.On("echo", func(s *socketio.Socket, args socketio.Args, ack socketio.AckFunc) {
			if ack != nil {
				ack(rawArgs(args)...)
			}
		})
		s.On("echo-bin", func(s *socketio.Socket, args socketio.Args, ack socketio.AckFunc) {
			if v, err := args.Value(0); err == nil && ack != nil {
				ack(v)
			}
		})
		s.On("push-me", func(s *socketio.Socket, args socketio.Args, ack socketio.AckFunc) {
			_ = s.Emit("pushed", append(rawArgs(args), "from server")...)
		})
		onShoutKick(s)
	})
	nsp := sio.Of("/v2ns")
	// v2 clients have no CONNECT auth: the namespace query stands in.
	nsp.Use(requireToken)
	nsp.OnConnection(func(s *socketio.Socket) {
		onWhoami(s)
		s.OnDisconnect(func(s *socketio.Socket, reason socketio.DisconnectReason) {
			_ = sio.Emit("v2ns-left", string(reason))
		})
	})
}
