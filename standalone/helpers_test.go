package standalone

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sio-fast/sio-fast/internal/scripttest"
	"github.com/sio-fast/sio-fast/loop"
)

const clientDir = "testdata"

// event is one line of testdata/clients.js.
type event struct {
	I       int               `json:"i"`
	Type    string            `json:"type"`
	ID      string            `json:"id"`
	Message string            `json:"message"`
	Reason  string            `json:"reason"`
	Event   string            `json:"event"`
	Tag     any               `json:"tag"`
	Args    []json.RawMessage `json:"args"`
}

// clients is a running clients.js: n socket.io-client 4.8 sockets.
type clients struct {
	t     *testing.T
	in    io.WriteCloser
	lines chan event
	held  []event // lines read but not yet matched, in order
}

// startClients runs clients.js with cfg (url, n, opts...).
func startClients(t *testing.T, cfg map[string]any) *clients {
	t.Helper()
	scripttest.NeedNode(t, clientDir)
	arg, _ := json.Marshal(cfg)
	cmd := scripttest.Command(context.Background(), "node", "clients.js", string(arg))
	cmd.Dir = clientDir
	var stderr scripttest.LockedBuffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &clients{t: t, in: in, lines: make(chan event, 1<<16)}
	go func() {
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 64<<10), 4<<20)
		for sc.Scan() {
			var e event
			if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
				e = event{Type: "bad line: " + sc.Text()}
			}
			c.lines <- e
		}
		close(c.lines)
	}()
	t.Cleanup(func() {
		in.Close()
		_ = scripttest.KillGroup(cmd)
		_ = cmd.Wait()
		if t.Failed() && stderr.Len() > 0 {
			t.Logf("clients.js stderr:\n%s", stderr.String())
		}
	})
	return c
}

// send writes one command.
func (c *clients) send(cmd map[string]any) {
	c.t.Helper()
	b, _ := json.Marshal(cmd)
	if _, err := c.in.Write(append(b, '\n')); err != nil {
		c.t.Fatal(err)
	}
}

// waitFor returns and removes the first line that match accepts, earlier
// unmatched lines kept for later calls; the test fails after 20 s or when
// the script ends.
func (c *clients) waitFor(what string, match func(e event) bool) event {
	c.t.Helper()
	for i, e := range c.held {
		if match(e) {
			c.held = append(c.held[:i], c.held[i+1:]...)
			return e
		}
	}
	timeout := time.After(20 * time.Second)
	for {
		select {
		case e, ok := <-c.lines:
			if !ok {
				c.t.Fatalf("clients.js ended while waiting for %s", what)
			}
			if match(e) {
				return e
			}
			c.held = append(c.held, e)
		case <-timeout:
			c.t.Fatalf("no %s within 20 s", what)
		}
	}
}

func (c *clients) waitType(typ string) event {
	c.t.Helper()
	return c.waitFor(typ, func(e event) bool { return e.Type == typ })
}

// emitAck emits from socket i and returns the ack's arguments as JSON.
func (c *clients) emitAck(i int, name string, args ...any) string {
	c.t.Helper()
	tag := fmt.Sprintf("%s-%d-%d", name, i, time.Now().UnixNano())
	c.send(map[string]any{"i": i, "op": "emit", "event": name, "args": args, "tag": tag})
	e := c.waitFor("ack "+tag, func(e event) bool { return e.Type == "ack" && e.Tag == tag })
	return joinRaw(e.Args)
}

func joinRaw(args []json.RawMessage) string {
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = string(a)
	}
	return strings.Join(parts, ",")
}

// serve starts New(cfg) on loopback ports; the server is drained when the
// test ends.
func serve(t testing.TB, cfg *Config) *Running {
	t.Helper()
	cfg.Addr, cfg.API.Addr = "127.0.0.1:0", "127.0.0.1:0"
	logger := quietLogger()
	srv, err := New(cfg, logger)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Start(srv, cfg, loop.WithLogger(logger), loop.WithNumLoops(2))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = r.Drain(ctx)
	})
	return r
}

// testConfig is the default configuration with args applied.
func testConfig(t *testing.T, args ...string) *Config {
	t.Helper()
	cfg, _, err := Load(args, nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Demo = false
	return cfg
}

func (r *Running) url() string { return "http://" + r.Loop.Addr().String() }

// call makes an API request with key (empty: no Authorization) and returns
// the status and body.
func (r *Running) call(t *testing.T, method, path, key, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, "http://"+r.APIAddr.String()+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if key != "" {
		req.Header.Set("Authorization", "apikey "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, strings.TrimSpace(string(b))
}

const testAPIKey = "test-api-key-0123456789"

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
