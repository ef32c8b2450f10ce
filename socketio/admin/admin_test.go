package admin_test

import (
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/sio-fast/sio-fast/engineio"
	"github.com/sio-fast/sio-fast/internal/looptest"
	"github.com/sio-fast/sio-fast/internal/scripttest"
	"github.com/sio-fast/sio-fast/socketio"
	"github.com/sio-fast/sio-fast/socketio/admin"
)

// appEvents are the main namespace's test events: "rooms" emits
// "rooms-sent" and acks the socket's rooms; "setdata" sets socket.data.
func appEvents(sio *socketio.Server) {
	sio.OnConnection(func(s *socketio.Socket) {
		s.On("rooms", func(s *socketio.Socket, _ socketio.Args, ack socketio.AckFunc) {
			_ = s.Emit("rooms-sent")
			if ack != nil {
				_ = ack(s.Rooms())
			}
		})
		s.On("setdata", func(s *socketio.Socket, args socketio.Args, _ socketio.AckFunc) {
			v, _ := args.Value(0)
			s.SetData(v)
		})
	})
}

// instrumented serves an instrumented server with appEvents on a free port.
func instrumented(t *testing.T, opts admin.Options) string {
	t.Helper()
	sio := socketio.NewServer(socketio.Config{})
	appEvents(sio)
	a, err := admin.Instrument(sio, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.Close() })
	return looptest.URL(looptest.Serve(t, sio.NewEngine(engineio.Config{})))
}

// TestProtocolSocketIOClient drives the admin namespace with npm
// socket.io-client 4.8 as the UI does (testdata/node/protocol.js says what
// each case asserts): basic auth refused and accepted with a session,
// config and all_sockets, server_stats, the socket lifecycle events, the
// actions, and a read-only production server that offers and runs none.
func TestProtocolSocketIOClient(t *testing.T) {
	scripttest.NeedNode(t, "testdata/node")
	const password = "s3cret pass"
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	full := instrumented(t, admin.Options{
		Auth:     &admin.BasicAuth{Username: "admin", PasswordHash: string(hash)},
		ServerID: "test-node-1",
	})
	ro := instrumented(t, admin.Options{Mode: admin.Production, ReadOnly: true})
	scripttest.RunCases(t, 90*time.Second, []string{
		"auth-refused", "auth-ok-session", "config-all-sockets", "server-stats",
		"socket-lifecycle", "actions", "readonly-config", "readonly-refuses-actions",
	}, "testdata/node", "node", "protocol.js", full, ro, password, "test-node-1")
}
