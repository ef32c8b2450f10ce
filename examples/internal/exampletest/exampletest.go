// Package exampletest drives an example's handler with the npm
// socket.io-client 4.8 (examples/client/client.js): polling, WebSocket and
// upgrade; 1,000 messages each way; binary; rooms; the example's REST route
// answering meanwhile. Test code only.
package exampletest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/sio-fast/sio-fast/engineio"
	"github.com/sio-fast/sio-fast/internal/testca"
	"github.com/sio-fast/sio-fast/loop"
)

// wantCases are the cases client.js runs; each must report ok.
var wantCases = []string{
	"polling-messages", "polling-binary", "polling-rooms",
	"websocket-messages", "websocket-binary", "websocket-rooms",
	"upgrade-messages", "upgrade-binary", "upgrade-rooms",
}

// Run serves h (with eng mounted in it) on a test server, over TLS with a
// test CA when useTLS, and runs the client against it.
func Run(t *testing.T, h http.Handler, eng *engineio.Server, useTLS bool) {
	t.Helper()
	dir := clientDir(t)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	eng.SetReactorOptions(loop.WithNumLoops(2), loop.WithLogger(quiet))
	hs := httptest.NewUnstartedServer(h)
	var env []string
	if useTLS {
		ca := testca.New(t)
		hs.TLS = ca.ServerConfig()
		hs.StartTLS()
		env = append(env, "NODE_EXTRA_CA_CERTS="+ca.CertFile)
	} else {
		hs.Start()
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := eng.Shutdown(ctx); err != nil {
			t.Errorf("engine Shutdown: %v", err)
		}
		hs.Close()
	})
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", "client.js", hs.URL)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("client: %v\n%s\nstderr: %s", err, out, stderr.Bytes())
	}
	seen := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		var res struct {
			Case   string          `json:"case"`
			OK     bool            `json:"ok"`
			Detail json.RawMessage `json:"detail"`
		}
		if err := json.Unmarshal(sc.Bytes(), &res); err != nil {
			t.Fatalf("client output %q: %v", sc.Text(), err)
		}
		seen[res.Case] = true
		if !res.OK {
			t.Errorf("%s: %s", res.Case, res.Detail)
		} else {
			t.Logf("%s: %s", res.Case, res.Detail)
		}
	}
	for _, c := range wantCases {
		if !seen[c] {
			t.Errorf("case %s did not run", c)
		}
	}
}

// clientDir returns examples/client, skipping the test when node or the
// npm packages are missing (CI installs both: make npm-deps).
func clientDir(t *testing.T) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(file), "..", "..", "client")
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("examples: node is not installed")
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "socket.io-client")); err != nil {
		t.Skip("examples: examples/client/node_modules is missing; run `make npm-deps`")
	}
	return dir
}
