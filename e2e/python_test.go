package e2e

import (
	"github.com/sio-fast/sio-fast/internal/scripttest"

	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/sio-fast/sio-fast/engineio"
	"github.com/sio-fast/sio-fast/socketio"
)

// systemPython is Debian's interpreter: the python3 on PATH may be another
// (pyenv) without Debian's python3-socketio.
const systemPython = "/usr/bin/python3"

// TestPythonClient drives an in-process server with Debian's
// python3-socketio: acks over WebSocket, polling and an upgrade, binary,
// a broadcast from another client, a namespace with auth (accepted and
// refused), and a server-side disconnect.
func TestPythonClient(t *testing.T) {
	needPythonSocketIO(t)
	url := startServer(t, engineio.Config{}, pythonApp)
	scripttest.RunCases(t, 40*time.Second,
		[]string{"echo-websocket", "echo-polling", "echo-upgrade", "binary", "broadcast",
			"namespace-auth", "namespace-refused", "server-disconnect"},
		"python", systemPython, "-I", "client.py", url)
}

// needPythonSocketIO skips t unless Debian's python has socketio and the
// client transports it needs (requests for polling, websocket-client).
func needPythonSocketIO(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(systemPython); err != nil {
		t.Skipf("%s missing", systemPython)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// -I and a neutral directory: a ./socketio folder must not shadow it.
	cmd := exec.CommandContext(ctx, systemPython, "-I", "-c", "import socketio, requests, websocket")
	cmd.Dir = os.TempDir()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Skipf("python socketio client missing (apt-get install python3-socketio python3-requests python3-websocket; scripts/ci-setup.sh does): %v\n%s", err, out)
	}
}

// pythonApp is the application the Python client drives.
func pythonApp(sio *socketio.Server) {
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
		onShoutKick(s)
	})
	py := sio.Of("/py")
	py.Use(requireToken)
	py.OnConnection(func(s *socketio.Socket) {
		onWhoami(s)
	})
}

// rawArgs passes every argument back as raw JSON, byte for byte.
func rawArgs(args socketio.Args) []any {
	out := make([]any, args.Len())
	for i := range out {
		out[i] = args.Raw(i)
	}
	return out
}
