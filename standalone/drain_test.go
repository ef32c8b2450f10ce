package standalone

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sio-fast/sio-fast/internal/scripttest"
)

// buildCommand builds cmd/sio-fast once per test binary run.
func buildCommand(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "sio-fast")
	out, err := exec.Command("go", "build", "-o", bin, "../cmd/sio-fast").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// process is a running sio-fast command.
type process struct {
	cmd     *exec.Cmd
	apiURL  string
	exited  chan error
	started chan struct{}
}

// startCommand runs bin with args and waits for its listening lines.
func startCommand(t *testing.T, bin string, args ...string) *process {
	t.Helper()
	cmd := scripttest.Command(context.Background(), bin, args...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr scripttest.LockedBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &process{cmd: cmd, exited: make(chan error, 1), started: make(chan struct{})}
	api := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if u, ok := strings.CutPrefix(sc.Text(), "sio-fast API listening on "); ok {
				api <- u
			}
		}
	}()
	go func() { p.exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = scripttest.KillGroup(cmd)
		if t.Failed() {
			t.Logf("%s stderr:\n%s", bin, stderr.String())
		}
	})
	select {
	case p.apiURL = <-api:
	case err := <-p.exited:
		t.Fatalf("sio-fast exited: %v\n%s", err, stderr.String())
	case <-time.After(30 * time.Second):
		t.Fatal("sio-fast did not start")
	}
	return p
}

func httpStatus(url string) int {
	resp, err := http.Get(url)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestDrainReconnectsElsewhere: clients connected to one sio-fast; a
// publish is acknowledged, then SIGTERM: /readyz fails, every client gets
// the published event (flushed) and an Engine.IO close, and reconnects by
// itself to a second sio-fast started meanwhile on the same address; the
// first exits 0 within its drain deadline. DRAIN_TEST_CLIENTS sets the
// number of clients (default 2,000, the figure; about 15 s here).
func TestDrainReconnectsElsewhere(t *testing.T) {
	scripttest.NeedNode(t, clientDir)
	n := 2000
	if v, err := strconv.Atoi(os.Getenv("DRAIN_TEST_CLIENTS")); err == nil && v > 0 {
		n = v
	}
	bin := buildCommand(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	args := []string{"-addr", addr, "-api-addr", "127.0.0.1:0", "-api-keys", testAPIKey, "-demo=false", "-drain-timeout", "30s", "-loops", "2"}
	first := startCommand(t, bin, args...)
	c := startClients(t, map[string]any{"url": "http://" + addr, "n": n, "quiet": true, "opts": map[string]any{
		"transports": []string{"websocket"}, "reconnectionDelay": 200, "reconnectionDelayMax": 1000,
	}})
	c.waitType("ready")
	connects := make([]int, n)
	for i := 0; i < n; i++ {
		connects[c.waitType("connect").I]++
	}
	if s := httpStatus(first.apiURL + "/readyz"); s != 200 {
		t.Fatalf("readyz %d", s)
	}
	req, _ := http.NewRequest("POST", first.apiURL+"/api/emit", strings.NewReader(`{"event":"last-words","args":["bye"]}`))
	req.Header.Set("Authorization", "apikey "+testAPIKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("publish: %v %v", resp, err)
	}
	resp.Body.Close()
	if err := first.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// The signal is handled asynchronously: /readyz fails soon after.
	for deadline := time.Now().Add(10 * time.Second); httpStatus(first.apiURL+"/readyz") == 200; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("readyz still 200 10 s after SIGTERM")
		}
	}
	// The second node takes the address once the first has let it go.
	var second *process
	for deadline := time.Now().Add(30 * time.Second); second == nil; {
		if l, err := net.Listen("tcp", addr); err == nil {
			l.Close()
			second = startCommand(t, bin, args...)
		} else if time.Now().After(deadline) {
			t.Fatal("the first server kept the address")
		} else {
			time.Sleep(20 * time.Millisecond)
		}
	}
	got, reasons, reconnected := 0, map[string]int{}, 0
	for got < n || reconnected < n {
		e := c.waitFor("drain events", func(e event) bool { return e.Type != "ready" })
		switch e.Type {
		case "event":
			if e.Event == "last-words" && joinRaw(e.Args) == `"bye"` && connects[e.I] == 1 {
				got++
			}
		case "disconnect":
			reasons[e.Reason]++
		case "connect":
			if connects[e.I]++; connects[e.I] == 2 {
				reconnected++
			}
		case "connect_error": // the first retry may find no server yet
		default:
			t.Fatalf("unexpected %+v", e)
		}
	}
	if reasons["transport close"] != n {
		t.Errorf("disconnect reasons %v, want %d transport close", reasons, n)
	}
	select {
	case err := <-first.exited:
		if err != nil {
			t.Fatalf("first server: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("first server did not exit")
	}
	if s := httpStatus(second.apiURL + "/readyz"); s != 200 {
		t.Fatalf("second readyz %d", s)
	}
	t.Logf("%d clients drained and reconnected: %s", n, fmt.Sprint(reasons))
}
