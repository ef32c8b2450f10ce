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
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/sio-fast/sio-fast/engineio"
	"github.com/sio-fast/sio-fast/loop"
	"github.com/sio-fast/sio-fast/socketio"
)

// startServer runs an in-process Socket.IO server on a free loopback port,
// set up by setup, and returns its base URL. It shuts down when t ends.
func startServer(t *testing.T, ecfg engineio.Config, setup func(*socketio.Server)) string {
	t.Helper()
	sio := socketio.NewServer(socketio.Config{})
	setup(sio)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	ls, err := loop.Serve("127.0.0.1:0", sio.NewEngine(ecfg), loop.WithNumLoops(2), loop.WithLogger(quiet))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = ls.Shutdown(ctx)
	})
	return "http://" + ls.Addr().String()
}

// needNode skips t unless node is on PATH and dir (relative to e2e/) has
// its npm packages installed.
func needNode(t *testing.T, dir string) {
	t.Helper()
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node not installed (scripts/ci-setup.sh installs it)")
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules")); err != nil {
		t.Skipf("%s/node_modules missing: run `make npm-deps`", dir)
	}
}

// command builds an external process in its own process group, so that the
// whole tree (node and the browser it starts) can be killed by group id
// when ctx ends or the test finishes.
func command(ctx context.Context, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.SysProcAttr = sysProcAttr()
	cmd.Cancel = func() error { return killGroup(cmd) }
	cmd.WaitDelay = 5 * time.Second
	return cmd
}

// killGroup kills the process group led by cmd's process (by its id).
func killGroup(cmd *exec.Cmd) error {
	if cmd.Process == nil {
		return nil
	}
	return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
}

// caseLine is one result line of a client script.
type caseLine struct {
	Case   string `json:"case"`
	OK     bool   `json:"ok"`
	Skip   string `json:"skip"`
	Detail any    `json:"detail"`
}

// runCases runs a client script, reports each result line as a subtest and
// checks that exactly the want cases ran, in that order. The script gets
// timeout to finish; its stderr is logged on failure.
func runCases(t *testing.T, timeout time.Duration, want []string, dir, name string, args ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := command(ctx, name, args...)
	cmd.Dir = dir
	var stderr lockedBuffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = killGroup(cmd) }) // anything the script left behind
	var got []string
	sc := bufio.NewScanner(out)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		var r caseLine
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Errorf("bad result line %q", sc.Text())
			continue
		}
		got = append(got, r.Case)
		t.Run(r.Case, func(t *testing.T) {
			switch {
			case r.Skip != "":
				t.Skip(r.Skip)
			case !r.OK:
				t.Errorf("failed: %v", r.Detail)
			default:
				t.Logf("%v", r.Detail)
			}
		})
	}
	werr := cmd.Wait()
	if ctx.Err() != nil {
		t.Errorf("%s timed out after %v", name, timeout)
	} else if werr != nil {
		t.Errorf("%s: %v", name, werr)
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("cases ran: %v\nwant:      %v", got, want)
	}
	if t.Failed() && stderr.Len() > 0 {
		t.Logf("%s stderr:\n%s", name, stderr.String())
	}
}

// lockedBuffer is a bytes.Buffer safe for the exec copying goroutine and
// the test goroutine.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func (l *lockedBuffer) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Len()
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
