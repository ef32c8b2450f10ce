// Package e2e holds end-to-end tests that drive sio-fast with real, foreign
// clients: Debian's chromium through playwright-core against the built
// binary's demo chat page, Debian's python3-socketio, and the npm
// socket.io-client 2.x (Engine.IO v3). It has test files only.
//
// Each test skips, saying why, when its client (node and the npm packages of
// its lockfile, chromium, or the python module) is missing; scripts/ci-setup.sh
// and `make npm-deps` install them, so in CI they run. Every external process
// runs in its own process group with a bounded lifetime and is killed by its
// group id at the end, so a failing test leaves nothing running.
//
// The client scripts print one JSON line per case,
// {"case": name, "ok": bool, "detail": any}, which runCases turns into
// test results.
package e2e

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/sio-fast/sio-fast/engineio"
	"github.com/sio-fast/sio-fast/internal/looptest"
	"github.com/sio-fast/sio-fast/socketio"
)

// startServer runs an in-process Socket.IO server on a free loopback port,
// set up by setup, and returns its base URL. It shuts down when t ends.
func startServer(t *testing.T, ecfg engineio.Config, setup func(*socketio.Server)) string {
	t.Helper()
	sio := socketio.NewServer(socketio.Config{})
	setup(sio)
	return looptest.URL(looptest.Serve(t, sio.NewEngine(ecfg)))
}

// moduleRoot is the directory holding go.mod, found upwards from the
// test's working directory (e2e/).
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("e2e: go.mod not found above the working directory")
		}
		dir = parent
	}
}

// requireToken is a namespace middleware admitting only auth {"token":"s3cret"}.
func requireToken(s *socketio.Socket, next func(error)) {
	var auth struct{ Token string }
	if json.Unmarshal(s.Handshake().Auth, &auth) != nil || auth.Token != "s3cret" {
		next(&socketio.ConnectError{Message: "bad token"})
		return
	}
	next(nil)
}

// onWhoami answers "whoami" with the socket's namespace and CONNECT auth.
func onWhoami(s *socketio.Socket) {
	s.On("whoami", func(s *socketio.Socket, args socketio.Args, ack socketio.AckFunc) {
		if ack != nil {
			ack(map[string]any{"nsp": s.Namespace().Name(), "auth": s.Handshake().Auth})
		}
	})
}

// onShoutKick: "shout" broadcasts its argument to the others as "shouted"
// (acked "sent"); "kick" disconnects the socket from its namespace.
func onShoutKick(s *socketio.Socket) {
	s.On("shout", func(s *socketio.Socket, args socketio.Args, ack socketio.AckFunc) {
		_ = s.Broadcast().Emit("shouted", args.Raw(0))
		if ack != nil {
			ack("sent")
		}
	})
	s.On("kick", func(s *socketio.Socket, args socketio.Args, ack socketio.AckFunc) {
		s.Disconnect(false)
	})
}
