package wsecho

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/sio-fast/sio-fast/loop"
)

func startEcho(t *testing.T) *loop.Server {
	t.Helper()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	s, err := loop.Serve("127.0.0.1:0", &Handler{}, loop.WithNumLoops(2), loop.WithLogger(quiet))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = s.Shutdown(ctx)
	})
	return s
}

// requireNode skips when Node or the interop packages are missing; CI
// installs both (scripts/ci-setup.sh, make npm-deps).
func requireNode(t *testing.T, dir string) {
	t.Helper()
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node not installed")
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules")); err != nil {
		t.Skip("run `make npm-deps` first: " + dir + "/node_modules missing")
	}
}

// TestInteropNodeWS drives the server with the npm ws client: text,
// binary, fragmented with a ping in between, large, over-limit (1009),
// ping/pong, close codes and ordering.
func TestInteropNodeWS(t *testing.T) {
	requireNode(t, "interop")
	s := startEcho(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", "interop/client.js", "ws://"+s.Addr().String()+"/")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"text": false, "binary": false, "fragmented": false, "large": false,
		"too-large": false, "ping": false, "close-code": false, "many-messages-in-order": false}
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		var r struct {
			Case   string `json:"case"`
			OK     bool   `json:"ok"`
			Detail any    `json:"detail"`
		}
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("bad line %q", sc.Text())
		}
		if !r.OK {
			t.Errorf("case %s failed: %v", r.Case, r.Detail)
		}
		want[r.Case] = true
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("node: %v", err)
	}
	for c, seen := range want {
		if !seen {
			t.Errorf("case %s did not run", c)
		}
	}
}
