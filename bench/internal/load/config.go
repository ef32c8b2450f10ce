package load

import (
	"crypto/tls"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/sio-fast/sio-fast/bench/internal/wsclient"
)

// Config is one load run against one server.
type Config struct {
	Addr         string        // server host:port (IPv4)
	Peer         string        // label for results
	Clients      int           // concurrent connections
	Concurrency  int           // handshakes in flight during ramp-up
	Workers      int           // epoll goroutines
	SrcAddrs     int           // 127.0.0.x source addresses; 0 = as needed
	Inflight     int           // window for fanout and room as fast as absorbed
	EchoInflight int           // window for echo as fast as absorbed; 0 = one per client
	Warmup       time.Duration // traffic not counted, before each scenario
	Duration     time.Duration // measured traffic per scenario
	Drain        time.Duration // longest wait for late deliveries
	Settle       time.Duration // idle: wait before reading server memory
	Payload      int           // bytes of the "p" field
	Rooms        int           // rooms in the room scenario
	ServerPID    int           // read /proc of this process; 0 = skip
	Scenarios    []Scenario    // in order; idle only reports the ramp-up
	Progress     bool          // draw progress bars on stderr
	// FailOnUnparsable makes a scenario fail when a client receives a
	// packet it cannot parse (CI's quick runs); otherwise the count is only
	// reported (Result.Unparsable).
	FailOnUnparsable bool

	// Transport is how clients reach their WebSocket: directly (the zero
	// value) or after a polling handshake, like a default socket.io-client.
	Transport wsclient.Transport
	// PostConns bounds the POST pool of polling clients (0: the default).
	PostConns int
	// TLS, when set, makes every client connect over wss:// with this
	// crypto/tls configuration.
	TLS *tls.Config

	// APIURL is the standalone server's publish API (http://host:port, its
	// api.addr) for the apifanout and apiemit scenarios, APIKey one of its
	// api.keys and APIConns the keep-alive connections posting.
	APIURL, APIKey string
	APIConns       int

	// Nodes, when set, makes this a cluster run against several servers
	// of one cluster: it replaces Addr, ServerPID and Clients. Clients are
	// connected to the nodes in order, so client 0 (the publisher of
	// fanout and room) is on the first node and every delivery to a later
	// node crossed the cluster's Redis. Results then carry per-node figures
	// (Result.Nodes) and those of the remote deliveries (Result.Remote).
	Nodes []Node
	// Redis is the host:port of the cluster's Redis: each measured window
	// then reads its traffic and CPU (Result.Redis). Empty: not read.
	Redis string
}

// Node is one server of a cluster run (Config.Nodes).
type Node struct {
	Addr    string // host:port (IPv4)
	PID     int    // server process, to read its CPU and memory from /proc; 0 = skip
	Clients int    // clients on this node; 0 leaves it with no local recipient
}

// Scenario is one measured phase: a traffic pattern and its rate.
type Scenario struct {
	Name string  // idle, fanout, room, echo; apifanout, publish, apiemit (server.go)
	Rate float64 // messages per second; 0: as fast as the server absorbs
}

// Label is the Result.Scenario of s: the name, with "-max" when s runs as
// fast as the server absorbs ("fanout-max"); the rate is in Result.Offered.
func (s Scenario) Label() string {
	if s.Name != "idle" && s.Rate <= 0 {
		return s.Name + "-max"
	}
	return s.Name
}

// ParseScenarios reads a comma list of name[@rate], rate a number per second
// or "max": "idle,fanout@10,fanout@max,room@200,echo@10000,echo@max". A bare
// name takes its rate from defaults (keyed fanout, room, echo); "fanout-max",
// "room-max" and "echo-max" mean @max; "all" is every scenario once.
func ParseScenarios(list string, defaults map[string]float64) ([]Scenario, error) {
	if list == "" || list == "all" {
		list = "idle,fanout,fanout-max,room,echo"
	}
	var out []Scenario
	for _, item := range strings.Split(list, ",") {
		name, rate, hasRate := strings.Cut(strings.TrimSpace(item), "@")
		if base, ok := strings.CutSuffix(name, "-max"); ok && !hasRate {
			name, rate, hasRate = base, "max", true
		}
		switch name {
		case "idle":
			out = append(out, Scenario{Name: name})
			continue
		case "fanout", "room", "echo", "apifanout", "publish", "apiemit":
		default:
			return nil, fmt.Errorf("%w: %q", ErrScenario, item)
		}
		sc := Scenario{Name: name, Rate: defaults[name]}
		if hasRate && rate != "max" {
			r, err := strconv.ParseFloat(rate, 64)
			if err != nil || r <= 0 {
				return nil, fmt.Errorf("%w: rate in %q", ErrScenario, item)
			}
			sc.Rate = r
		} else if hasRate {
			sc.Rate = 0
		}
		out = append(out, sc)
	}
	return out, nil
}

// Result is one scenario's figures, one JSON line each. Latencies are in
// microseconds; CPU in milliseconds.
type Result struct {
	Peer     string  `json:"peer"`
	Scenario string  `json:"scenario"` // Scenario.Label: fanout, fanout-max, …
	Clients  int     `json:"clients"`
	Mode     string  `json:"mode,omitempty"` // "rate" or "max"
	Offered  float64 `json:"offered_per_s,omitempty"`
	Seconds  float64 `json:"seconds"`

	Sent     uint64 `json:"sent"`
	Expected uint64 `json:"expected"`
	Received uint64 `json:"received"`
	Lost     uint64 `json:"lost"`
	Dup      uint64 `json:"dup"`
	// Unparsable counts packets received in the measured window that were
	// neither a delivery, an echo ack nor a join ack the generator can read.
	Unparsable uint64 `json:"unparsable,omitempty"`
	// FirstUnparsable is the head (80 bytes) of the first of them: in an
	// idle ramp, what the server sent the clients unasked.
	FirstUnparsable string `json:"first_unparsable,omitempty"`
	// ConnsLost counts clients the server dropped since the ramp-up.
	ConnsLost int64   `json:"conns_lost,omitempty"`
	PerSec    float64 `json:"per_s"` // deliveries, acks, or connections per second

	P50  float64 `json:"p50_us"`
	P90  float64 `json:"p90_us"`
	P99  float64 `json:"p99_us"`
	P999 float64 `json:"p999_us"`
	Max  float64 `json:"max_us"`

	RSSKiB       int64   `json:"server_rss_kib,omitempty"`
	PSSKiB       int64   `json:"server_pss_kib,omitempty"`
	KiBPerConn   float64 `json:"kib_per_conn,omitempty"`
	ServerCPUms  float64 `json:"server_cpu_ms"`
	ServerCores  float64 `json:"server_cores"` // server CPU seconds per wall second
	CPUPer1kConn float64 `json:"server_cpu_ms_per_1k_conn,omitempty"`
	GenCPUms     float64 `json:"gen_cpu_ms"`
	GenNsPerMsg  float64 `json:"gen_cpu_ns_per_msg,omitempty"`
	// CPUsPerM is the server's CPU seconds per million deliveries (acks).
	CPUsPerM float64 `json:"server_cpu_s_per_m_deliveries,omitempty"`
	// Start and End bound the measured window (wall clock, Unix ns), drain
	// included, so server-side logs can be cut to it.
	Start int64 `json:"start_unix_ns,omitempty"`
	End   int64 `json:"end_unix_ns,omitempty"`
	// WriteLoop is the floor peer's own timing of its write loops in the
	// window (filled in by siocompare from the floor's trace).
	WriteLoop *LoopStats `json:"write_loop,omitempty"`
	Error     string     `json:"error,omitempty"`
	// Transport is set when clients did not connect over WebSocket directly
	// ("polling-upgrade"), so such figures are not mistaken for the default.
	Transport string `json:"transport,omitempty"`
	// TLS is set when clients spoke wss:// (siobench -tls).
	TLS bool `json:"tls,omitempty"`

	// Nodes holds each node's figures in a cluster run (Config.Nodes).
	Nodes []NodeResult `json:"nodes,omitempty"`
	// Remote covers the deliveries to clients of every node but the first
	// (the publisher's): those that crossed Redis. Cluster runs only.
	Remote *Deliveries `json:"remote,omitempty"`
	// Redis is the cluster's Redis over the window (Config.Redis).
	Redis *RedisResult `json:"redis,omitempty"`
}

// NodeResult is one node's share of a cluster run's window.
type NodeResult struct {
	Addr        string  `json:"addr"`
	Clients     int     `json:"clients"`
	Received    uint64  `json:"received"` // measured deliveries to this node's clients
	PerSec      float64 `json:"per_s"`
	ServerCPUms float64 `json:"server_cpu_ms"`
	ServerCores float64 `json:"server_cores"`
	// CPUPerMsgUs is the node's CPU time per message published in the
	// window (as Redis counted them when Config.Redis is set, else as
	// sent), in µs: on any node but the first, what one remote broadcast
	// costs it (receiving it from Redis and delivering it locally).
	CPUPerMsgUs float64 `json:"cpu_us_per_msg,omitempty"`
	RSSKiB      int64   `json:"rss_kib,omitempty"`
}

// Deliveries are the count, rate and latency (µs) of a subset of the
// window's deliveries.
type Deliveries struct {
	Received uint64  `json:"received"`
	PerSec   float64 `json:"per_s"`
	P50      float64 `json:"p50_us"`
	P90      float64 `json:"p90_us"`
	P99      float64 `json:"p99_us"`
	P999     float64 `json:"p999_us"`
	Max      float64 `json:"max_us"`
}

// RedisResult is what the window cost the cluster's Redis: bytes it read
// (the publishers' commands) and wrote (to the subscribed nodes), from its
// INFO counters (the readings' own bytes taken out; other clients' traffic,
// such as a node's periodic PUBSUB NUMSUB, is included), and its CPU.
type RedisResult struct {
	// Published is the PUBLISH, SPUBLISH or XADD commands Redis ran in
	// the window: the messages the per-message figures divide by.
	Published   int64   `json:"published"`
	InBytes     int64   `json:"in_bytes"`
	OutBytes    int64   `json:"out_bytes"`
	InPerMsg    float64 `json:"in_bytes_per_msg"`  // per message published
	OutPerMsg   float64 `json:"out_bytes_per_msg"` // per message published, all subscribers together
	CPUms       float64 `json:"cpu_ms"`
	CPUPerMsgUs float64 `json:"cpu_us_per_msg"`
}

// LoopStats is the floor program's timing of its broadcast write loops (one
// write(2) per recipient) over a measured window. Times in microseconds.
type LoopStats struct {
	Broadcasts int     `json:"broadcasts"`
	Writes     int     `json:"writes"`
	Blocked    int     `json:"blocked"` // writes the kernel did not take at once
	MeanUs     float64 `json:"mean_us"`
	P50Us      float64 `json:"p50_us"`
	P99Us      float64 `json:"p99_us"`
	MaxUs      float64 `json:"max_us"`
	UsPerWrite float64 `json:"us_per_write"`
}

// UnparsableUnreported reports whether the clients received packets that
// are none of the bench's while the error does not already say so (a
// scenario run with FailOnUnparsable fails with "could not parse"): the
// report and siobench then name them, since every figure of the run
// includes that traffic.
func (r Result) UnparsableUnreported() bool {
	return r.Unparsable > 0 && !strings.Contains(r.Error, "could not parse")
}
