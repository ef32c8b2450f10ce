package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// server is the sio-fast bench app under test, a separate process (its
// descriptors count against its own limit, not the generator's).
type server struct {
	cmd        *exec.Cmd
	addr       string
	goroutines chan int // from the "heap: ... goroutines=N" line of SIGUSR1
}

var goroutinesRE = regexp.MustCompile(`goroutines=(\d+)`)

// startServer runs bin -mode bench-app on a free port, pinned with taskset
// when cpu is set, and waits until it listens.
func startServer(bin, cpu, profile string) (*server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	args := []string{bin, "-mode", "bench-app", "-port", strconv.Itoa(port), "-log", "warn", "-memprofile", profile}
	if cpu != "" {
		args = append([]string{"taskset", "-c", cpu}, args...)
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdout = os.Stderr
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{cmd: cmd, addr: fmt.Sprintf("127.0.0.1:%d", port), goroutines: make(chan int, 4)}
	go s.scan(stderr)
	for deadline := time.Now().Add(10 * time.Second); ; {
		if nc, err := net.Dial("tcp", s.addr); err == nil {
			nc.Close()
			return s, nil
		}
		if time.Now().After(deadline) {
			s.stop()
			return nil, fmt.Errorf("server not listening on %s after 10s", s.addr)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// scan forwards the server's log and picks up the goroutine counts.
func (s *server) scan(r io.Reader) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		if m := goroutinesRE.FindStringSubmatch(line); m != nil {
			n, _ := strconv.Atoi(m[1])
			select {
			case s.goroutines <- n:
			default:
			}
			fmt.Fprintln(os.Stderr, "server:", line)
			continue
		}
		fmt.Fprintln(os.Stderr, "server:", line)
	}
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func (s *server) pid() int { return s.cmd.Process.Pid }

// rssKiB reads VmRSS from /proc.
func (s *server) rssKiB() int {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.pid()))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			n, _ := strconv.Atoi(f[1])
			return n
		}
	}
	return 0
}

// fds counts the server's open descriptors.
func (s *server) fds() int {
	ents, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", s.pid()))
	if err != nil {
		return -1
	}
	return len(ents)
}

// fdKinds counts the server's descriptors by kind ("socket",
// "anon_inode:[eventpoll]", ...), to tell a leaked connection from the
// event loops' own descriptors.
func (s *server) fdKinds() map[string]int {
	dir := fmt.Sprintf("/proc/%d/fd", s.pid())
	ents, _ := os.ReadDir(dir)
	kinds := map[string]int{}
	for _, e := range ents {
		l, err := os.Readlink(dir + "/" + e.Name())
		if err != nil {
			continue
		}
		if i := strings.IndexByte(l, ':'); i > 0 && !strings.HasPrefix(l, "anon_inode") {
			l = l[:i]
		}
		if strings.HasPrefix(l, "/") {
			l = "file"
		}
		kinds[l]++
	}
	return kinds
}

// numGoroutines asks the server (SIGUSR1: it logs its heap and goroutine
// count and writes a heap profile) and waits for the answer.
func (s *server) numGoroutines() int {
	for len(s.goroutines) > 0 { // answers to SIGUSR1s sent by someone else
		<-s.goroutines
	}
	if err := s.cmd.Process.Signal(syscall.SIGUSR1); err != nil {
		return -1
	}
	select {
	case n := <-s.goroutines:
		return n
	case <-time.After(10 * time.Second):
		return -1
	}
}

// stop ends the server by its PID: SIGTERM, then SIGKILL after 3 s.
func (s *server) stop() {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(3 * time.Second):
		_ = s.cmd.Process.Kill()
		<-done
	}
}
