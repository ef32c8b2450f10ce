// Package redistest starts a real redis-server for tests: on a free
// loopback port, without persistence, killed by its process id when the
// test ends. It can be killed and restarted on the same port mid-test to
// exercise reconnection. Test code only.
package redistest

import (
	"bufio"
	"fmt"
	"net"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Server is one redis-server process.
type Server struct {
	t    testing.TB
	Port int
	cmd  *exec.Cmd
	args []string // added to redis-server's command line
}

// Start starts redis-server, or skips t when it is not installed
// (scripts/ci-setup.sh installs it).
func Start(t testing.TB) *Server {
	t.Helper()
	return start(t)
}

// StartCluster starts redis-server as a one-node Redis Cluster that
// serves every slot, for cluster clients, or skips t as Start does. The
// node may answer CLUSTERDOWN for a moment after it returns, until it has
// seen its slots (its cluster_state turns ok).
func StartCluster(t testing.TB) *Server {
	t.Helper()
	dir := t.TempDir()
	s := start(t, "--cluster-enabled", "yes", "--cluster-config-file", filepath.Join(dir, "nodes.conf"), "--dir", dir)
	if line, err := s.Do("CLUSTER", "ADDSLOTSRANGE", "0", "16383"); err != nil || line != "+OK" {
		t.Fatalf("CLUSTER ADDSLOTSRANGE: %q %v", line, err)
	}
	return s
}

func start(t testing.TB, args ...string) *Server {
	t.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Skip("redis-server not installed (scripts/ci-setup.sh installs it)")
	}
	s := &Server{t: t, Port: freePort(t), args: args}
	s.Restart()
	t.Cleanup(s.Kill)
	return s
}

// Addr is "127.0.0.1:port".
func (s *Server) Addr() string { return "127.0.0.1:" + strconv.Itoa(s.Port) }

// URL is "redis://127.0.0.1:port".
func (s *Server) URL() string { return "redis://" + s.Addr() }

// Restart starts the server (again) on its port and waits until it
// answers PING.
func (s *Server) Restart() {
	s.t.Helper()
	args := append([]string{"--port", strconv.Itoa(s.Port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--protected-mode", "no", "--loglevel", "warning"}, s.args...)
	cmd := exec.Command("redis-server", args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		s.t.Fatalf("redis-server: %v", err)
	}
	s.cmd = cmd
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if ping(s.Addr()) == nil {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.Kill()
	s.t.Fatalf("redis-server on %s did not answer PING", s.Addr())
}

// Kill stops the server at once (SIGKILL by process id), as a crash would.
func (s *Server) Kill() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	_ = s.cmd.Wait()
	s.cmd = nil
}

// Do sends one command (inline form) and returns the first reply line.
func (s *Server) Do(args ...string) (string, error) {
	c, err := net.DialTimeout("tcp", s.Addr(), time.Second)
	if err != nil {
		return "", err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	var b strings.Builder
	fmt.Fprintf(&b, "*%d\r\n", len(args))
	for _, a := range args {
		fmt.Fprintf(&b, "$%d\r\n%s\r\n", len(a), a)
	}
	if _, err := c.Write([]byte(b.String())); err != nil {
		return "", err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	return strings.TrimSpace(line), err
}

func ping(addr string) error {
	c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
	if err != nil {
		return err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(time.Second))
	if _, err := c.Write([]byte("PING\r\n")); err != nil {
		return err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "+PONG") {
		return fmt.Errorf("ping: %q %v", line, err)
	}
	return nil
}

func freePort(t testing.TB) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
