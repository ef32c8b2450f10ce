package engineio

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// The interop tests drive the official npm clients (engine.io-client 6, and
// 3 under the alias eio3) with interop/client.js. CI installs node and the
// packages (make npm-deps); elsewhere the tests skip.

func requireNode(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("interop: node is not installed")
	}
	for _, pkg := range []string{"engine.io-client", "eio3"} {
		if _, err := os.Stat(filepath.Join("interop", "node_modules", pkg)); err != nil {
			t.Skip("interop: interop/node_modules is missing; run `make npm-deps` (npm ci in engineio/interop)")
		}
	}
}

// runClient runs one scenario of interop/client.js against base and returns
// its JSON result, failing the test when the client reports an error.
func runClient(t *testing.T, base, scenario, flavour string, extra ...string) map[string]any {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	args := append([]string{"client.js", base, scenario, flavour}, extra...)
	cmd := exec.CommandContext(ctx, "node", args...)
	cmd.Dir = "interop"
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	lines := bytes.Split(bytes.TrimSpace(out), []byte("\n"))
	var res map[string]any
	if jerr := json.Unmarshal(lines[len(lines)-1], &res); jerr != nil {
		t.Fatalf("%s/%s: no result (%v): %s\nstderr: %s", scenario, flavour, err, out, stderr.Bytes())
	}
	if res["ok"] != true {
		t.Fatalf("%s/%s: client failed: %v\nstderr: %s", scenario, flavour, res["error"], stderr.Bytes())
	}
	return res
}

func interopConfig(v3 bool) Config {
	return Config{AllowEIO3: v3, MaxHTTPBufferSize: 100000}
}

func TestInteropBasics(t *testing.T) {
	requireNode(t)
	for _, flavour := range []string{"v4", "v3"} {
		srv, base := startEcho(t, interopConfig(flavour == "v3"))
		cases := []struct{ scenario, transport string }{
			{"polling", "polling"},
			{"websocket", "websocket"},
		}
		for _, c := range cases {
			res := runClient(t, base, c.scenario, flavour)
			if res["transport"] != c.transport || res["count"] != 4.0 {
				t.Errorf("%s/%s: %v", c.scenario, flavour, res)
			}
		}
		res := runClient(t, base, "binary", flavour)
		t.Logf("binary/%s: %v", flavour, res)
		waitFor(t, func() bool { return srv.ClientsCount() == 0 })
	}
}

func TestInteropMaxPayload(t *testing.T) {
	requireNode(t)
	srv, base := startEcho(t, interopConfig(false))
	res := runClient(t, base, "maxpayload", "v4")
	t.Logf("maxpayload: %v", res)
	waitFor(t, func() bool { return srv.ClientsCount() == 0 })
}

// upgradeServer sends s0..s999 to each session from a goroutine, checks
// that c0..c999 arrive in order, and reports its verdict after both.
func upgradeServer(n int, upgraded *sync.WaitGroup) func(*Server) {
	return func(srv *Server) {
		srv.OnConnection(func(s *Socket) {
			var got []string
			clientDone := make(chan string, 1)
			s.OnUpgrade(upgraded.Done)
			s.OnMessage(func(data []byte, _ bool) {
				if string(data) != "done" {
					got = append(got, string(data))
					return
				}
				verdict := "ok"
				for i, m := range got {
					if m != "c"+strconv.Itoa(i) {
						verdict = "message " + strconv.Itoa(i) + " was " + m
						break
					}
				}
				if verdict == "ok" && len(got) != n {
					verdict = "received " + strconv.Itoa(len(got))
				}
				clientDone <- verdict
			})
			go func() {
				for i := 0; i < n; i++ {
					s.SendText([]byte("s" + strconv.Itoa(i)))
					if i%10 == 9 {
						time.Sleep(time.Millisecond)
					}
				}
				s.SendText([]byte("verdict:" + <-clientDone))
			}()
		})
	}
}

// An upgrade from polling to WebSocket while 1000 messages flow each way:
// none lost, none duplicated, order kept.
func TestInteropUpgradeUnderLoad(t *testing.T) {
	requireNode(t)
	for _, flavour := range []string{"v4", "v3"} {
		var upgraded sync.WaitGroup
		upgraded.Add(1)
		srv, base := startServer(t, interopConfig(flavour == "v3"), upgradeServer(1000, &upgraded))
		res := runClient(t, base, "upgrade", flavour)
		if res["serverVerdict"] != "ok" || res["transport"] != "websocket" {
			t.Fatalf("upgrade/%s: %v", flavour, res)
		}
		upgraded.Wait()
		t.Logf("upgrade/%s: client had sent %v messages when it upgraded", flavour, res["upgradeAt"])
		waitFor(t, func() bool { return srv.ClientsCount() == 0 })
	}
}

func TestInteropConcurrentClients(t *testing.T) {
	requireNode(t)
	srv, base := startEcho(t, interopConfig(false))
	res := runClient(t, base, "concurrent", "v4")
	if res["clients"] != 200.0 {
		t.Fatalf("concurrent: %v", res)
	}
	waitFor(t, func() bool { return srv.ClientsCount() == 0 })
}

// Short heartbeats keep sessions alive on both transports and versions.
func TestInteropHeartbeat(t *testing.T) {
	requireNode(t)
	for _, flavour := range []string{"v4", "v3"} {
		cfg := interopConfig(flavour == "v3")
		// Several pings in the 1.2 s the client stays; a generous timeout,
		// as the client also closes when pings come late (loaded CI).
		cfg.PingInterval = 150 * time.Millisecond
		cfg.PingTimeout = time.Second
		_, base := startEcho(t, cfg)
		for _, transport := range []string{"polling", "websocket"} {
			runClient(t, base, "heartbeat", flavour, transport)
		}
	}
}

// A server-side close reaches the client on both transports.
func TestInteropServerClose(t *testing.T) {
	requireNode(t)
	for _, flavour := range []string{"v4", "v3"} {
		_, base := startServer(t, interopConfig(flavour == "v3"), func(srv *Server) {
			srv.OnConnection(func(s *Socket) {
				s.OnMessage(func([]byte, bool) { s.closeWith(ReasonForcedClose, "") })
			})
		})
		for _, transport := range []string{"polling", "websocket"} {
			res := runClient(t, base, "serverclose", flavour, transport)
			t.Logf("serverclose/%s/%s: %v", flavour, transport, res)
		}
	}
}

// permessage-deflate with the official clients (whose "ws" socket offers it
// by default): large messages both ways, WebSocket-only and after an
// upgrade, content checked by the client.
func TestInteropPerMessageDeflate(t *testing.T) {
	requireNode(t)
	for _, flavour := range []string{"v4", "v3"} {
		cfg := interopConfig(flavour == "v3")
		cfg.PerMessageDeflate = &PerMessageDeflate{}
		srv, base := startEcho(t, cfg)
		res := runClient(t, base, "deflate", flavour)
		t.Logf("deflate/%s: %v", flavour, res)
		// Both clients' "ws" sockets offer the extension by default: an
		// empty wsExtensions means the server declined it, the regression
		// this test exists for.
		for _, k := range []string{"wsExtensions", "upgradeExtensions"} {
			if ext, _ := res[k].(string); !strings.HasPrefix(ext, "permessage-deflate") {
				t.Errorf("deflate/%s: %s = %q", flavour, k, ext)
			}
		}
		if up, _ := res["upgraded"].(map[string]any); up["transport"] != transportWebSocket {
			t.Errorf("deflate/%s: not upgraded: %v", flavour, res["upgraded"])
		}
		// Per round, the client compresses the 4 messages over its
		// threshold; after an upgrade, only those sent on the WebSocket.
		if n := srv.inflated.Load(); n < 4 {
			t.Errorf("deflate/%s: the server inflated %d messages, want >= 4", flavour, n)
		}
		waitFor(t, func() bool { return srv.ClientsCount() == 0 })
	}
}
