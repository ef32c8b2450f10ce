package admin_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
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

// chromiumPath is Debian's chromium (playwright's own browsers are not
// downloadable here).
const chromiumPath = "/usr/bin/chromium"

// TestBrowserDashboard serves the admin UI's ui/dist from the npm package
// and drives it in headless chromium (testdata/node/dashboard.js) against
// an instrumented server with live socket.io-client clients: a wrong
// password is refused, the right one logs in, the dashboard counts the
// sockets per namespace, the sockets page lists every client's id, the
// rooms page their rooms, and a client arriving or leaving shows at once.
// Set E2E_ARTIFACTS=dir to keep the screenshots.
func TestBrowserDashboard(t *testing.T) {
	scripttest.NeedNode(t, "testdata/node")
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skipf("%s missing (scripts/ci-setup.sh installs Debian's chromium)", chromiumPath)
	}
	uiDir := filepath.Join("testdata", "node", "node_modules", "@socket.io", "admin-ui", "ui", "dist")
	if _, err := os.Stat(filepath.Join(uiDir, "index.html")); err != nil {
		t.Fatalf("admin UI bundle missing: %v", err)
	}
	ui := httptest.NewServer(http.FileServer(http.Dir(uiDir)))
	t.Cleanup(ui.Close)

	const password = "dashboard pass"
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	sio := socketio.NewServer(socketio.Config{})
	sio.OnConnection(func(s *socketio.Socket) {
		s.On("enter", func(s *socketio.Socket, args socketio.Args, _ socketio.AckFunc) {
			if room, ok := args.String(0); ok {
				s.Join(room)
			}
		})
	})
	a, err := admin.Instrument(sio, admin.Options{Auth: &admin.BasicAuth{Username: "admin", PasswordHash: string(hash)}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.Close() })
	server := looptest.URL(looptest.Serve(t, sio.NewEngine(engineio.Config{
		CORS: &engineio.CORS{Origins: []string{ui.URL}, Credentials: true},
	})))

	shots := os.Getenv("E2E_ARTIFACTS")
	if shots == "" {
		shots = t.TempDir()
	}
	scripttest.RunCases(t, 120*time.Second,
		[]string{"login", "dashboard-counts", "screenshot-dashboard", "sockets-list", "rooms-list", "live-updates"},
		"testdata/node", "node", "dashboard.js", ui.URL, server, chromiumPath, t.TempDir(), shots, password)
	for _, name := range []string{"admin-dashboard.png", "admin-sockets.png"} {
		b, err := os.ReadFile(filepath.Join(shots, name))
		if err != nil {
			t.Error(err)
		} else if !bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) {
			t.Errorf("%s is not a PNG", name)
		}
	}
}
