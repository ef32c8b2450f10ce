package load

import "time"

// Config is one load run against one server.
type Config struct {
	Addr        string        // server host:port (IPv4)
	Peer        string        // label for results
	Clients     int           // concurrent connections
	Concurrency int           // handshakes in flight during ramp-up
	Workers     int           // epoll goroutines
	SrcAddrs    int           // 127.0.0.x source addresses; 0 = as needed
	Rate        float64       // fanout messages per second (0 = as fast as absorbed)
	RoomRate    float64       // room messages per second (0 = as fast as absorbed)
	EchoRate    float64       // echo messages per second, total (0 = as fast as absorbed)
	Inflight    int           // window for the as-fast-as-absorbed mode
	Warmup      time.Duration // traffic not counted, before each scenario
	Duration    time.Duration // measured traffic per scenario
	Drain       time.Duration // longest wait for late deliveries
	Settle      time.Duration // idle: wait before reading server memory
	Payload     int           // bytes of the "p" field
	Rooms       int           // rooms in the room scenario
	ServerPID   int           // read /proc of this process; 0 = skip
	Scenarios   []string      // idle, fanout, fanout-max, room, echo
	Progress    bool          // draw progress bars on stderr
}

// Result is one scenario's figures, one JSON line each. Latencies are in
// microseconds; CPU in milliseconds.
type Result struct {
	Peer     string  `json:"peer"`
	Scenario string  `json:"scenario"`
	Clients  int     `json:"clients"`
	Mode     string  `json:"mode,omitempty"` // "rate" or "max"
	Offered  float64 `json:"offered_per_s,omitempty"`
	Seconds  float64 `json:"seconds"`

	Sent     uint64 `json:"sent"`
	Expected uint64 `json:"expected"`
	Received uint64 `json:"received"`
	Lost     uint64 `json:"lost"`
	Dup      uint64 `json:"dup"`
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
	Error        string  `json:"error,omitempty"`
}
