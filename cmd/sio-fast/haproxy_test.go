package main

import (
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sio-fast/sio-fast/internal/looptest"
	"github.com/sio-fast/sio-fast/internal/redistest"
	"github.com/sio-fast/sio-fast/internal/scripttest"
	"github.com/sio-fast/sio-fast/socketio"
	"github.com/sio-fast/sio-fast/standalone"
)

// haproxyConfig is the README's sticky proxy for three nodes, read as it is
// documented (only its addresses are replaced).
const haproxyConfig = "../../docs/cluster-haproxy.cfg"

// TestHaproxyCluster runs the README's three-node setup: three bench-app
// nodes joined over a real redis-server with -redis, behind Debian's
// haproxy running docs/cluster-haproxy.cfg. npm socket.io-client 4.8
// clients with the default transports (polling, then the upgrade to
// WebSocket: every request of a session must reach the node holding it)
// connect through the proxy from one loopback address each ("balance
// source" pins an address to a node), join rooms and receive the
// broadcasts sent from every node; any "Session ID unknown" 400 breaks a
// client and fails the run. The nodes count their connections: all three
// get clients.
func TestHaproxyCluster(t *testing.T) {
	const clientDir = "../../adapter/redis/interop"
	const clients = 12
	haproxy, err := exec.LookPath("haproxy")
	if err != nil {
		haproxy, err = exec.LookPath("/usr/sbin/haproxy") // Debian's, off a non-root PATH
	}
	if err != nil {
		t.Skip("haproxy not installed (scripts/ci-setup.sh installs it)")
	}
	scripttest.NeedNode(t, clientDir)
	r := redistest.Start(t)
	var perNode [3]atomic.Int64
	var backends []string
	for i := range perNode {
		cfg, _, err := standalone.Load([]string{"-mode", "bench-app", "-redis", r.URL()}, nil)
		if err != nil {
			t.Fatal(err)
		}
		sio, closeSIO, err := benchAppSocketIO(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = closeSIO() }) // after the node's loops (registered later) stopped
		sio.OnConnection(func(*socketio.Socket) { perNode[i].Add(1) })
		backends = append(backends, looptest.Serve(t, sio.NewEngine(standalone.EngineConfig(cfg))).Addr().String())
	}
	waitSubscribers(t, r, "socket.io-request#/#", 3)
	proxy := startHaproxy(t, haproxy, backends)
	scripttest.RunCases(t, 120*time.Second,
		[]string{"connect", "upgrade", "join-whoami", "count", "broadcast-across", "to-room-across", "sticky"},
		clientDir, "node", "haproxy.js", "http://"+proxy, strconv.Itoa(clients))
	total := int64(0)
	for i := range perNode {
		n := perNode[i].Load()
		if n == 0 {
			t.Errorf("node %d got no client", i+1)
		}
		total += n
	}
	if total != clients {
		t.Errorf("the nodes saw %d connections for %d clients (a reconnection or a stray client)", total, clients)
	}
	t.Logf("connections per node: %d %d %d", perNode[0].Load(), perNode[1].Load(), perNode[2].Load())
}

// startHaproxy runs haproxy in the foreground on docs/cluster-haproxy.cfg
// with its addresses (127.0.0.1:3000 for the proxy, :3001-3003 for the
// nodes) replaced by a free port and backends, and returns the proxy's
// address once it accepts connections. It is killed by process group when
// the test ends.
func startHaproxy(t *testing.T, haproxy string, backends []string) string {
	t.Helper()
	doc, err := os.ReadFile(haproxyConfig)
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	proxy := l.Addr().String()
	l.Close()
	cfg := string(doc)
	for i, addr := range append([]string{proxy}, backends...) {
		documented := "127.0.0.1:300" + strconv.Itoa(i)
		if n := strings.Count(cfg, documented); n != 1 {
			t.Fatalf("%s names %s %d times, want once (the test replaces it)", haproxyConfig, documented, n)
		}
		cfg = strings.Replace(cfg, documented, addr, 1)
	}
	file := filepath.Join(t.TempDir(), "haproxy.cfg")
	if err := os.WriteFile(file, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(haproxy, "-c", "-f", file).CombinedOutput(); err != nil {
		t.Fatalf("haproxy -c refuses %s: %v\n%s", haproxyConfig, err, out)
	}
	cmd := scripttest.Command(t.Context(), haproxy, "-db", "-f", file)
	var out scripttest.LockedBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = scripttest.KillGroup(cmd)
		<-exited
		if t.Failed() {
			t.Logf("haproxy output:\n%s", out.String())
		}
	})
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", proxy, time.Second)
		if err == nil {
			c.Close()
			return proxy
		}
		select {
		case err := <-exited:
			exited <- err // for the cleanup
			t.Fatalf("haproxy exited (%v) running %s", err, haproxyConfig)
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("haproxy does not listen on %s: %v", proxy, err)
		}
	}
}
