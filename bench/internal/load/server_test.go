package load

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/sio-fast/sio-fast/standalone"
)

// startStandalone runs sio-fast's standalone server with bench/standalone.yaml
// on free loopback ports and returns its engine address and API URL.
func startStandalone(t *testing.T) (addr, api string) {
	t.Helper()
	r := startServer(t, "-config", "../../standalone.yaml", "-api-addr", "127.0.0.1:0")
	return r.Loop.Addr().String(), "http://" + r.APIAddr.String()
}

// startServer runs the standalone server configured by args on a free
// loopback port; it is drained when the test ends.
func startServer(t *testing.T, args ...string) *standalone.Running {
	t.Helper()
	cfg, _, err := standalone.Load(append(args, "-addr", "127.0.0.1:0"), nil)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := standalone.New(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	r, err := standalone.Start(srv, cfg)
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

// TestServerScenarios runs the standalone scenarios against the real
// server: every delivery of the API's fan-out, of the client's publish and
// of the per-user emits arrives once, with a latency.
func TestServerScenarios(t *testing.T) {
	addr, api := startStandalone(t)
	cfg := Config{
		Addr: addr, Peer: "sio-fast", Clients: 60, Concurrency: 16, Workers: 1, Inflight: 8,
		Warmup: 100 * time.Millisecond, Duration: 400 * time.Millisecond, Drain: 3 * time.Second, Payload: 64,
		APIURL: api, APIKey: "bench-key-0123456789", APIConns: 4, FailOnUnparsable: true,
		Scenarios: []Scenario{{"apifanout", 50}, {"publish", 50}, {"apifanout", 0}, {"apiemit", 0}},
	}
	var results []Result
	if err := Run(cfg, func(r Result) { results = append(results, r) }); err != nil {
		t.Fatal(err)
	}
	want := map[string]uint64{"apifanout": 60, "publish": 59, "apifanout-max": 60, "apiemit-max": 1}
	for _, r := range results {
		if r.Error != "" {
			t.Errorf("%s: %s", r.Scenario, r.Error)
			continue
		}
		per, ok := want[r.Scenario]
		if !ok || r.Sent == 0 || r.Expected != r.Sent*per || r.Received != r.Expected || r.P50 <= 0 {
			t.Errorf("%s: sent %d, expected %d, received %d, p50 %v µs", r.Scenario, r.Sent, r.Expected, r.Received, r.P50)
		}
	}
	if len(results) != len(cfg.Scenarios) {
		t.Errorf("%d results", len(results))
	}
}

// TestServerScenarioErrors: without -api, or with a key the server does not
// know, an API scenario fails with a message that says why.
func TestServerScenarioErrors(t *testing.T) {
	addr, api := startStandalone(t)
	for _, tc := range []struct{ url, key, want string }{
		{"", "", "need -api"},
		{api, "wrong", "401"},
	} {
		cfg := Config{
			Addr: addr, Clients: 4, Concurrency: 4, Inflight: 1, Duration: 300 * time.Millisecond, Drain: time.Second,
			Payload: 8, APIURL: tc.url, APIKey: tc.key, Scenarios: []Scenario{{"apifanout", 20}},
		}
		var got Result
		if err := Run(cfg, func(r Result) { got = r }); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(got.Error, tc.want) {
			t.Errorf("%+v: error %q, want it to name %q", tc, got.Error, tc.want)
		}
	}
}

// TestIdleDefaultServer: the idle ramp against the standalone server as it
// starts with no configuration (mode server, the demo on, no policy;
// standalone's TestLoadPrecedence checks that the demo is on by default). Every
// client connects and none receives anything it did not ask for: the demo
// tells its user count only to the sockets that ask (its page). Before,
// each arrival went to every client, n²/2 packets per ramp (issue 16:
// 18,000 clients took 78–137 s and 363–562 MiB).
func TestIdleDefaultServer(t *testing.T) {
	const n = 300
	r := startServer(t) // no configuration: the defaults
	run := Config{Addr: r.Loop.Addr().String(), Clients: n, Concurrency: 64, Workers: 1, Settle: 10 * time.Millisecond,
		Drain: time.Second, Scenarios: []Scenario{{Name: "idle"}}}
	var got Result
	if err := Run(run, func(r Result) { got = r }); err != nil {
		t.Fatal(err)
	}
	if got.Error != "" || got.Received != n {
		t.Fatalf("idle: %d of %d connected, error %q", got.Received, n, got.Error)
	}
	if got.Unparsable != 0 {
		t.Errorf("%d clients received %d packets they did not ask for in a %.2f s ramp (first: %s)",
			n, got.Unparsable, got.Seconds, got.FirstUnparsable)
	}
}
