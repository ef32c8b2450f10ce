// Package scripttest runs foreign client scripts (Node, Python) from Go
// tests: each script prints one JSON line per case,
// {"case": name, "ok": bool, "skip": reason, "detail": any}, and RunCases
// turns the lines into subtests. Every process runs in its own process group
// with a bounded lifetime and is killed by group id at the end, so a failing
// test leaves nothing running. It is imported by tests only.
package scripttest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// NeedNode skips t unless node is on PATH and dir (relative to the test's directory) has
// its npm packages installed.
func NeedNode(t *testing.T, dir string) {
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
func Command(ctx context.Context, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.SysProcAttr = SysProcAttr()
	cmd.Cancel = func() error { return KillGroup(cmd) }
	cmd.WaitDelay = 5 * time.Second
	return cmd
}

// KillGroup kills the process group led by cmd's process (by its id).
func KillGroup(cmd *exec.Cmd) error {
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

// RunCases runs a client script, reports each result line as a subtest and
// checks that exactly the want cases ran, in that order. The script gets
// timeout to finish; its stderr is logged on failure.
func RunCases(t *testing.T, timeout time.Duration, want []string, dir, name string, args ...string) {
	t.Helper()
	RunCasesFunc(t, timeout, want, nil, dir, name, args...)
}

// RunCasesFunc is RunCases for a script the test steers while it runs:
// after each passed case, after(case) is called (on the test goroutine)
// and a non-empty answer is written to the script's stdin as one line.
// A nil after answers nothing.
func RunCasesFunc(t *testing.T, timeout time.Duration, want []string, after func(name string) string, dir, name string, args ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := Command(ctx, name, args...)
	cmd.Dir = dir
	var stderr LockedBuffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = KillGroup(cmd) }) // anything the script left behind
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
		if r.OK && after != nil {
			if answer := after(r.Case); answer != "" {
				_, _ = io.WriteString(stdin, answer+"\n")
			}
		}
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

// LockedBuffer is a bytes.Buffer safe for the exec copying goroutine and
// the test goroutine.
type LockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *LockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *LockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func (l *LockedBuffer) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Len()
}
