package e2e

import (
	"github.com/sio-fast/sio-fast/internal/scripttest"

	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// chromiumPath is Debian's chromium, the only browser the test drives
// (playwright's own browser downloads are not reachable).
const chromiumPath = "/usr/bin/chromium"

// raceEnabled is set by race_test.go when the tests are built with -race.
var raceEnabled bool

// TestBrowserChat builds the real binary, serves the demo chat page and
// drives two headless chromium pages through it: both connect and upgrade
// to WebSocket, a message typed in each reaches the other, the client
// bundle is served with 200, and a screenshot is taken. Set
// E2E_ARTIFACTS=dir to keep the screenshot.
func TestBrowserChat(t *testing.T) {
	scripttest.NeedNode(t, "browser")
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skipf("%s missing (scripts/ci-setup.sh installs Debian's chromium)", chromiumPath)
	}
	bin := buildBinary(t)
	base := runBinary(t, bin).base
	shots := os.Getenv("E2E_ARTIFACTS")
	if shots == "" {
		shots = t.TempDir()
	}
	profile := t.TempDir()
	scripttest.RunCases(t, 60*time.Second,
		[]string{"connect-upgrade", "chat-1-to-2", "chat-2-to-1", "bundle-served", "screenshot"},
		"browser", "node", "chat.js", base, chromiumPath, profile, shots)
	for _, name := range []string{"chat-1.png", "chat-2.png"} {
		b, err := os.ReadFile(filepath.Join(shots, name))
		if err != nil {
			t.Error(err)
		} else if !bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) {
			t.Errorf("%s is not a PNG", name)
		}
	}
}

// buildBinary builds ./cmd/sio-fast once per test binary run, into a
// temporary directory TestMain removes, with -race when the test itself is
// race-built (the packages are then in the cache). The browser tests share
// it: a race build takes tens of seconds on a busy machine.
func buildBinary(t *testing.T) string {
	t.Helper()
	built.once.Do(func() { built.bin, built.err = build(t) })
	if built.err != nil {
		t.Fatal(built.err)
	}
	return built.bin
}

var built struct {
	once sync.Once
	dir  string // removed by TestMain
	bin  string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if built.dir != "" {
		_ = os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

func build(t *testing.T) (string, error) {
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	if built.dir, err = os.MkdirTemp("", "sio-fast-e2e-"); err != nil {
		return "", err
	}
	bin := filepath.Join(built.dir, "sio-fast")
	args := []string{"build", "-o", bin}
	if raceEnabled {
		args = append(args, "-race")
	}
	start := time.Now()
	defer func() { t.Logf("go build (race %v): %v", raceEnabled, time.Since(start).Round(time.Millisecond)) }()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	// go test puts its own toolchain's bin first on PATH.
	cmd := exec.CommandContext(ctx, "go", append(args, "./cmd/sio-fast")...)
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
}

// runBinary starts the binary in server mode on a free loopback port and
// waits until it serves the chat page; unless it has exited by then, it is
// stopped by PID when t ends: SIGTERM (it shuts down gracefully), SIGKILL
// after 5 s. Its output is checked for data race reports. A port taken
// between choosing and binding it (outgoing connections of other tests
// draw from the same range) means another try.
func runBinary(t *testing.T, bin string) *binary {
	t.Helper()
	for try := 1; ; try++ {
		port, err := freePort()
		if err != nil {
			t.Fatal(err)
		}
		p, err := startBinary(bin, port)
		if err == nil {
			stopAtEnd(t, p)
			return p
		}
		if try == 5 || !errors.Is(err, errPortTaken) {
			t.Fatal(err)
		}
		t.Logf("try %d: %v", try, err)
	}
}

// stopAtEnd stops p with SIGTERM when t ends, unless it has exited already.
func stopAtEnd(t *testing.T, p *binary) {
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			p.stop(t)
		}
	})
}

var errPortTaken = errors.New("port taken")

// binary is a running sio-fast process.
type binary struct {
	cmd     *exec.Cmd
	base    string
	out     scripttest.LockedBuffer
	done    chan struct{} // closed when the process has exited
	waitErr error         // valid once done is closed
}

func startBinary(bin string, port int) (*binary, error) {
	p := &binary{base: fmt.Sprintf("http://127.0.0.1:%d", port), done: make(chan struct{})}
	p.cmd = exec.Command(bin, "-port", strconv.Itoa(port), "-log", "warn")
	// no 1 s race-detector pause at exit: reports are written when found
	p.cmd.Env = append(os.Environ(), "HOST=127.0.0.1", "GORACE=atexit_sleep_ms=0")
	p.cmd.SysProcAttr = scripttest.SysProcAttr()
	p.cmd.Stdout = &p.out
	p.cmd.Stderr = &p.out
	if err := p.cmd.Start(); err != nil {
		return nil, err
	}
	go func() { p.waitErr = p.cmd.Wait(); close(p.done) }()
	serving := waitServing(p.base+"/", p.done)
	select {
	case <-p.done: // exited: whatever answered was not this process
		if strings.Contains(p.out.String(), "address already in use") {
			return nil, fmt.Errorf("%w: %d", errPortTaken, port)
		}
		return nil, fmt.Errorf("sio-fast exited before serving: %v\n%s", p.waitErr, p.out.String())
	default:
	}
	if !serving {
		_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
		<-p.done
		return nil, fmt.Errorf("sio-fast not serving %s after 10 s\n%s", p.base, p.out.String())
	}
	return p, nil
}

// stop ends the process by its PID: SIGTERM, then SIGKILL after 5 s. A
// graceful shutdown must exit 0.
func (p *binary) stop(t *testing.T) {
	stopAt := time.Now()
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(5 * time.Second):
		t.Errorf("sio-fast did not exit 5 s after SIGTERM; killing pid %d", p.cmd.Process.Pid)
		_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
		<-p.done
	}
	t.Logf("sio-fast stopped %v after SIGTERM", time.Since(stopAt).Round(time.Millisecond))
	if p.waitErr != nil {
		t.Errorf("sio-fast exited with %v after SIGTERM (want a clean exit)", p.waitErr)
	}
	p.checkOutput(t)
}

// kill ends the process by its PID with SIGKILL: no drain, the kernel
// closes its connections.
func (p *binary) kill(t *testing.T) {
	_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
	<-p.done
	p.checkOutput(t)
}

// checkOutput fails t if the process reported a data race, and logs its
// output if t has failed.
func (p *binary) checkOutput(t *testing.T) {
	if out := p.out.String(); strings.Contains(out, "DATA RACE") {
		t.Errorf("sio-fast reported a data race:\n%s", out)
	} else if t.Failed() && out != "" {
		t.Logf("sio-fast output:\n%s", out)
	}
}

// freePort asks the kernel for a free loopback port; see runBinary for the
// race this leaves.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// waitServing polls url until it answers 200, for at most 10 s, giving up
// early if the process exits.
func waitServing(url string, exited <-chan struct{}) bool {
	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := client.Get(url); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return true
			}
		}
		select {
		case <-exited:
			return false
		case <-time.After(50 * time.Millisecond):
		}
	}
	return false
}
