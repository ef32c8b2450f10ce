package standalone

import (
	"encoding/json"
	"fmt"
	"net"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/sio-fast/sio-fast/internal/redistest"
	"github.com/sio-fast/sio-fast/loop"
)

// parseMetrics parses the text format with Debian's python3-prometheus-client.
func parseMetrics(t *testing.T, text string) map[string]float64 {
	t.Helper()
	if exec.Command("/usr/bin/python3", "-I", "-c", "import prometheus_client").Run() != nil {
		t.Skip("python3-prometheus-client not installed (scripts/ci-setup.sh installs it)")
	}
	cmd := exec.Command("/usr/bin/python3", "-I", "parse_metrics.py")
	cmd.Dir = clientDir
	cmd.Stdin = strings.NewReader(text)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	var m map[string]float64
	if err := json.Unmarshal(out, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// scrapeMetrics reads /metrics and parses it (parseMetrics).
func (r *Running) scrapeMetrics(t *testing.T) map[string]float64 {
	t.Helper()
	status, text := r.call(t, "GET", "/metrics", "", "")
	if status != 200 {
		t.Fatal(status)
	}
	return parseMetrics(t, text)
}

// TestMetricsCountTraffic: /metrics parses with the reference Python
// parser and its counters match the traffic sent: connects, a disconnect by
// reason, API emits and recipients, sessions and handshakes by transport,
// sockets per namespace and transport, Socket.IO packets and bytes both
// ways, broadcasts and their deliveries, one fan-out latency per broadcast
// and loop, the loops' turns and busy time; no slow consumer closed, no
// async write.
func TestMetricsCountTraffic(t *testing.T) {
	r, c := apiServer(t, []string{"websocket"})
	// The fan-out histogram counts one observation per broadcast and loop
	// with recipients: the loops of room-a's members, then of everyone's.
	loopsOf := func(rooms ...string) float64 {
		nsp := r.SIO.Of("/")
		homes := map[any]bool{}
		for _, id := range nsp.Adapter().Sockets(rooms) {
			homes[nsp.Socket(id).Conn().Home()] = true
		}
		return float64(len(homes))
	}
	fanouts := loopsOf("room-a") + loopsOf()
	for _, body := range []string{`{"rooms":["room-a"],"event":"x"}`, `{"event":"y","args":["` + strings.Repeat("z", 1000) + `"]}`} {
		if status, got := r.call(t, "POST", "/api/emit", testAPIKey, body); status != 200 {
			t.Fatal(got)
		}
	}
	for i := range 3 {
		c.nextEvent(i)
	}
	c.nextEvent(0)
	c.nextEvent(1)
	_, body := r.call(t, "GET", "/api/rooms/room-b", testAPIKey, "")
	var room roomInfo
	_ = json.Unmarshal([]byte(body), &room)
	r.call(t, "POST", "/api/disconnect", testAPIKey, `{"sid":"`+room.Members[0]+`"}`)
	c.waitType("disconnect")
	// socket.io-client closes the Engine.IO session of a manager whose last
	// socket was disconnected: the sessions drop to 2 soon after.
	var m map[string]float64
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		status, text := r.call(t, "GET", "/metrics", "", "")
		if status != 200 {
			t.Fatal(status)
		}
		if m = parseMetrics(t, text); m["sio_fast_engine_sessions{transport=websocket}"] == 2 || time.Now().After(deadline) {
			break
		}
	}
	for key, want := range map[string]float64{
		"sio_fast_socket_connects_total{namespace=/}":                                       3,
		"sio_fast_socket_disconnects_total{namespace=/,reason=server namespace disconnect}": 1,
		"sio_fast_api_emits_total{}":                                                        2,
		"sio_fast_api_recipients_total{}":                                                   5,
		"sio_fast_api_fanout_seconds_count{}":                                               2,
		"sio_fast_namespace_sockets{namespace=/,transport=websocket}":                       2,
		"sio_fast_namespace_sockets{namespace=/,transport=polling}":                         0,
		"sio_fast_namespace_sockets{namespace=/chat,transport=websocket}":                   0,
		"sio_fast_engine_sessions{transport=websocket}":                                     2,
		"sio_fast_engine_sessions{transport=polling}":                                       0,
		"sio_fast_engine_handshakes_total{transport=websocket}":                             3,
		"sio_fast_engine_handshakes_total{transport=polling}":                               0,
		"sio_fast_auth_refusals_total{}":                                                    0,
		// In: 3 CONNECTs, 3 subscribes. Out: 3 CONNECT answers, 3 acks, 2+3
		// deliveries, 1 DISCONNECT.
		"sio_fast_received_packets_total{}":                      6,
		"sio_fast_sent_packets_total{}":                          12,
		"sio_fast_broadcasts_total{}":                            2,
		"sio_fast_broadcast_deliveries_total{}":                  5,
		"sio_fast_fanout_seconds_count{}":                        fanouts,
		"sio_fast_slow_consumer_closes_total{cause=queue_cap}":   0,
		"sio_fast_slow_consumer_closes_total{cause=write_stall}": 0,
	} {
		if got, ok := m[key]; !ok || got != want {
			t.Errorf("%s = %v (present %v), want %v", key, got, ok, want)
		}
	}
	// The 1,000-byte argument went out to three clients.
	if m["sio_fast_sent_bytes_total{}"] < 3000 || m["sio_fast_received_bytes_total{}"] < 3*100 {
		t.Errorf("bytes: sent %v, received %v", m["sio_fast_sent_bytes_total{}"], m["sio_fast_received_bytes_total{}"])
	}
	if _, ok := m["go_goroutines{}"]; !ok {
		t.Error("no Go collector")
	}
	for _, l := range r.Loop.Loops() { // every loop that served a client worked
		key := fmt.Sprintf("{loop=%d}", l.Index())
		if m["sio_fast_loop_turns_total"+key] < 1 || m["sio_fast_loop_busy_seconds_total"+key] <= 0 {
			t.Errorf("loop %d: %v turns, %v s busy", l.Index(), m["sio_fast_loop_turns_total"+key], m["sio_fast_loop_busy_seconds_total"+key])
		}
		// WebSocket-only sessions live on their connection's loop: no write
		// ever hops through another loop's inbox.
		if got, ok := m["sio_fast_loop_async_writes_total"+key]; !ok || got != 0 {
			t.Errorf("loop %d: async writes %v (present %v), want 0", l.Index(), got, ok)
		}
	}
	if _, ok := m["sio_fast_redis_errors_total{kind=malformed}"]; ok {
		t.Error("Redis errors without Redis")
	}
}

// TestMetricsAsyncWrites: socket.io-client's default transports (polling,
// then the upgrade to WebSocket) on two loops. A session whose WebSocket
// lands on another loop than its handshake answers the probe ("3probe")
// with one Conn.AsyncWrite before it moves to that loop (engineio
// rehome.go), and writes directly from then on; one that stays writes
// directly throughout. So the loops' sio_fast_loop_async_writes_total add
// up to the sessions moved (loop.Moves), and echoes after the upgrade add
// nothing. (A packet still queued for polling when the upgrade completes
// would add one more; nothing is sent to these sessions during it.)
func TestMetricsAsyncWrites(t *testing.T) {
	const n = 8
	cfg := testConfig(t)
	cfg.Policy.Namespaces = map[string]NamespacePolicy{"/": {Subscribe: []string{"*"}}}
	r := serve(t, cfg)
	scrape := func() map[string]float64 { return r.scrapeMetrics(t) }
	sum := func(m map[string]float64) (total float64) {
		for _, l := range r.Loop.Loops() {
			v, ok := m[fmt.Sprintf("sio_fast_loop_async_writes_total{loop=%d}", l.Index())]
			if !ok {
				t.Fatalf("no sio_fast_loop_async_writes_total for loop %d", l.Index())
			}
			total += v
		}
		return total
	}
	// Where a WebSocket lands is the balancer's choice (fewest connections):
	// about once in a hundred, all n stay on their handshake's loop, so
	// another n clients come until one moved.
	moves := loop.Moves()
	var (
		c     *clients
		m     map[string]float64
		total float64
	)
	for batch := 1; loop.Moves() == moves; batch++ {
		if batch > 5 {
			t.Fatalf("no WebSocket of %v landed on another loop than its handshake: nothing to count", total)
		}
		c = startClients(t, map[string]any{"url": r.url(), "n": n})
		c.waitType("ready")
		total += n
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			if m = scrape(); m["sio_fast_engine_sessions{transport=websocket}"] == total || time.Now().After(deadline) {
				break
			}
		}
		if got := m["sio_fast_engine_sessions{transport=websocket}"]; got != total {
			t.Fatalf("%v of %v sessions upgraded", got, total)
		}
	}
	moved := float64(loop.Moves() - moves)
	t.Logf("%v of %v sessions moved to their WebSocket's loop", moved, total)
	if got := sum(m); got != moved {
		t.Errorf("async writes %v, want %v (sessions moved to their WebSocket's loop)", got, moved)
	}
	for i := range n { // after the move, writes are direct
		if got := c.emitAck(i, "subscribe", "room-x"); got != `{"ok":true}` {
			t.Fatalf("subscribe %d: %s", i, got)
		}
	}
	if got := sum(scrape()); got != moved {
		t.Errorf("async writes after %d acks: %v, want %v", n, got, moved)
	}
}

// TestMetricsRedisErrors: with a cluster on a real Redis, a malformed
// message on the adapter's channel and a Redis restart show as
// sio_fast_redis_errors_total{kind=malformed} and {kind=reconnect}.
func TestMetricsRedisErrors(t *testing.T) {
	rs := redistest.Start(t)
	cfg := testConfig(t, "-redis", rs.URL())
	r := serve(t, cfg)
	scrape := func() map[string]float64 { return r.scrapeMetrics(t) }
	if m := scrape(); m["sio_fast_redis_errors_total{kind=malformed}"] != 0 || m["sio_fast_redis_errors_total{kind=publish_dropped}"] != 0 {
		t.Fatalf("errors before any: %v", m)
	}
	// Once the adapter listens (PUBLISH answers 1 receiver), one garbage
	// broadcast.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if got, _ := rs.Do("PUBLISH", "socket.io#/#", "not msgpack"); got == ":1" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the adapter never subscribed")
		}
	}
	var m map[string]float64
	waitMetric := func(key string) {
		for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			if m = scrape(); m[key] >= 1 {
				return
			}
		}
	}
	// The restart waits for the message to reach the adapter: Redis
	// answers PUBLISH before it has written to the subscriber.
	waitMetric("sio_fast_redis_errors_total{kind=malformed}")
	rs.Kill()
	rs.Restart()
	waitMetric("sio_fast_redis_errors_total{kind=reconnect}")
	if m["sio_fast_redis_errors_total{kind=malformed}"] != 1 || m["sio_fast_redis_errors_total{kind=reconnect}"] != 1 {
		t.Fatalf("malformed %v, reconnect %v; want 1, 1",
			m["sio_fast_redis_errors_total{kind=malformed}"], m["sio_fast_redis_errors_total{kind=reconnect}"])
	}
}

// TestMetricsBurstCollections: sio_fast_burst_collections_total is 0 until
// a burst of connections (1,100, more than the 1,024 of a burst) ends, then
// exactly 1, and stays 1 while the server is quiet;
// sio_fast_burst_collection_seconds_total is its wall time.
func TestMetricsBurstCollections(t *testing.T) {
	r := serve(t, testConfig(t))
	const total, secs = "sio_fast_burst_collections_total{}", "sio_fast_burst_collection_seconds_total{}"
	if m := r.scrapeMetrics(t); m[total] != 0 || m[secs] != 0 {
		t.Fatalf("before any burst: %v collections, %v s", m[total], m[secs])
	}
	var conns []net.Conn
	defer func() {
		for _, nc := range conns {
			_ = nc.Close()
		}
	}()
	for range 1100 {
		nc, err := net.Dial("tcp", r.Loop.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, nc)
	}
	for deadline := time.Now().Add(3 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if n, _ := r.Loop.BurstCollections(); n > 0 || time.Now().After(deadline) {
			break
		}
	}
	time.Sleep(1500 * time.Millisecond) // quiet: no second collection
	if m := r.scrapeMetrics(t); m[total] != 1 || m[secs] <= 0 {
		t.Fatalf("after one burst: %v collections, %v s; want 1 and > 0", m[total], m[secs])
	}
}
