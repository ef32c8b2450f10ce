package loop

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMain lets the EMFILE test re-run this binary as a server whose file
// descriptor limit is tiny.
func TestMain(m *testing.M) {
	if os.Getenv("LOOP_EMFILE_CHILD") == "1" {
		emfileChild()
		return
	}
	os.Exit(m.Run())
}

func emfileChild() {
	lim := syscall.Rlimit{Cur: 48, Max: 48}
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		fmt.Println("ERR", err)
		os.Exit(1)
	}
	s, err := Serve("127.0.0.1:0", &funcHandler{data: echoData}, WithNumLoops(1))
	if err != nil {
		fmt.Println("ERR", err)
		os.Exit(1)
	}
	fmt.Println("ADDR", s.Addr())
	_, _ = bufio.NewReader(os.Stdin).ReadString('\n') // parent closes stdin to stop us
	os.Exit(0)
}

// Running out of file descriptors must not stop the server: excess
// connections are refused or wait, and once descriptors are free again new
// connections are served.
func TestAcceptSurvivesEMFILE(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "LOOP_EMFILE_CHILD=1")
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = stdin.Close(); _ = cmd.Wait() }()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "ADDR ") {
		t.Fatalf("child: %q %v", line, err)
	}
	addr := strings.TrimSpace(strings.TrimPrefix(line, "ADDR "))
	// Far more connections than the child has descriptors.
	var flood []net.Conn
	for i := 0; i < 120; i++ {
		nc, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			flood = append(flood, nc)
		}
	}
	time.Sleep(300 * time.Millisecond)
	for _, nc := range flood {
		_ = nc.Close()
	}
	// Descriptors are free again: the server must still accept and serve.
	deadline := time.Now().Add(10 * time.Second)
	for {
		if echoOnce(addr) == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("server did not recover after running out of descriptors")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func echoOnce(addr string) error {
	nc, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return err
	}
	defer nc.Close()
	_ = nc.SetDeadline(time.Now().Add(time.Second))
	if _, err := nc.Write([]byte("ping\n")); err != nil {
		return err
	}
	line, err := bufio.NewReader(nc).ReadString('\n')
	if err != nil {
		return err
	}
	if line != "ping\n" {
		return fmt.Errorf("got %q", line)
	}
	return nil
}
