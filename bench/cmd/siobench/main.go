// Command siobench is the load generator of sio-fast's benchmarks: it runs
// the idle, fanout, fanout-max, room and echo scenarios of the bench contract
// against one server over epoll-driven WebSocket clients and prints JSON
// lines (-json) and a Markdown table (-md). A scenario may be listed several
// times at different rates: -scenario fanout@10,fanout@max,echo@10000,echo@max.
// Given several -addr (nodes of one cluster), it splits the clients over
// them and also reports each node's figures and those of the deliveries
// that crossed the cluster (-redis: and the Redis bytes and CPU per message).
// -transport polling-upgrade makes every client start on HTTP long-polling
// and upgrade, as a default socket.io-client does; -transport polling keeps
// every client on long-polling; -tls connects over wss://.
// Against the standalone server (sio-fast -mode server), apifanout and
// apiemit publish through its HTTP API (-api, -api-key) and publish with
// its channel event (bench/internal/load/server.go).
//
//	siobench -addr 127.0.0.1:3000 -clients 18000 -server-pid 1234 -json out.jsonl -md
//	siobench -addr 127.0.0.1:3001,127.0.0.1:3002 -server-pid 11,12 -split 5000,5000 -redis 127.0.0.1:6379 -scenario fanout@100
package main

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"runtime/pprof"
	"time"

	"golang.org/x/sys/unix"

	"github.com/sio-fast/sio-fast/bench/internal/load"
	"github.com/sio-fast/sio-fast/bench/internal/report"
	"github.com/sio-fast/sio-fast/bench/internal/wsclient"
)

func main() {
	os.Exit(run())
}

func run() int {
	var cfg load.Config
	var err error
	var scen, jsonOut string
	var rate, roomRate, echoRate float64
	var md, quick, noProgress bool
	var hardStop time.Duration
	addrs := flag.String("addr", "127.0.0.1:3000", "server `host:port` (IPv4); a comma list is a cluster run: clients split over the nodes in order, client 0 (the publisher) on the first")
	flag.StringVar(&cfg.Peer, "peer", "server", "label written in the results")
	flag.TextVar(&cfg.Transport, "transport", wsclient.TransportWebSocket,
		"how clients connect: websocket (straight to WebSocket, the bench contract), polling-upgrade "+
			"(polling handshake, then a WebSocket with the sid on a new connection, probe and upgrade, "+
			"like a default socket.io-client) or polling (long-polling only: one GET outstanding per client "+
			"on its own keep-alive connection, POSTs on a shared pool of -post-conns; results named idle-polling, fanout-polling, ...)")
	flag.IntVar(&cfg.PostConns, "post-conns", wsclient.DefaultPostConns,
		"-transport polling: keep-alive connections shared by every client's POSTs, one request in flight each "+
			"(raise it when a backlogged server drops clients for pongs that waited too long here)")
	flag.IntVar(&cfg.Clients, "clients", 18000, "concurrent connections")
	flag.IntVar(&cfg.Concurrency, "concurrency", 256, "handshakes (and room joins) in flight during ramp-up")
	flag.IntVar(&cfg.Workers, "workers", 1, "epoll worker goroutines")
	flag.IntVar(&cfg.SrcAddrs, "src-addrs", 0, "127.0.0.x source addresses to bind (0: as many as the port range needs)")
	flag.Float64Var(&rate, "rate", 10, "fanout broadcasts per second for a bare \"fanout\" (0: as fast as the server absorbs)")
	flag.Float64Var(&roomRate, "room-rate", 200, "room messages per second, rooms in turn, for a bare \"room\" (0: as fast as absorbed)")
	flag.Float64Var(&echoRate, "echo-rate", 10000, "echo messages per second over all clients, for a bare \"echo\" (0: as fast as absorbed)")
	flag.IntVar(&cfg.Inflight, "inflight", 32, "fanout-max and room-max: broadcasts not yet delivered to every recipient (the issue allows the publisher 32)")
	flag.IntVar(&cfg.EchoInflight, "echo-inflight", 0, "echo-max: echoes awaiting their ack (0: one per client)")
	flag.DurationVar(&cfg.Warmup, "warmup", 2*time.Second, "unmeasured traffic before each scenario")
	flag.DurationVar(&cfg.Duration, "duration", 10*time.Second, "measured traffic per scenario")
	flag.DurationVar(&cfg.Drain, "drain", 5*time.Second, "wait for late deliveries once nothing progresses")
	flag.DurationVar(&cfg.Settle, "settle", 2*time.Second, "idle: wait before reading server memory")
	flag.IntVar(&cfg.Payload, "payload", 64, "bytes in the \"p\" field")
	flag.IntVar(&cfg.Rooms, "rooms", 100, "rooms in the room scenario")
	pids := flag.String("server-pid", "", "server PID, to read its RSS/PSS/CPU from /proc (a comma list, one per -addr, in a cluster run)")
	split := flag.String("split", "", "cluster run: clients per node, a comma list (default: -clients evenly; 0 leaves a node without local recipients)")
	flag.StringVar(&cfg.Redis, "redis", "", "cluster run: the Redis `host:port` whose INFO counters give the bytes and CPU per message")
	flag.StringVar(&scen, "scenario", "all", "comma list of name[@rate|@max], names idle, fanout, room, echo (fanout-max = fanout@max; all = idle,fanout,fanout-max,room,echo); "+
		"against the standalone server (sio-fast -mode server): apifanout, publish, apiemit")
	flag.StringVar(&jsonOut, "json", "", "append JSON lines to this `file` (- for stdout)")
	flag.BoolVar(&md, "md", false, "print a Markdown table on stdout at the end")
	flag.BoolVar(&quick, "quick", false, "CI smoke: 200 clients, short phases, exit 1 on any loss or unparsable packet")
	flag.BoolVar(&cfg.FailOnUnparsable, "fail-unparsable", false, "fail a scenario in which a client receives a packet it cannot parse (default: count it in the results)")
	flag.BoolVar(&noProgress, "no-progress", false, "no progress bars on stderr")
	flag.DurationVar(&hardStop, "hard-stop", 0, "kill the run after this long (0: derived from the phases)")
	useTLS := flag.Bool("tls", false, "connect over wss:// (TLS, server name from -addr; trust -tls-ca or skip verification with -tls-insecure)")
	tlsCA := flag.String("tls-ca", "", "-tls: PEM `file` of the CA (or self-signed certificate) to trust instead of the system's")
	tlsInsecure := flag.Bool("tls-insecure", false, "-tls: do not verify the server's certificate (a throwaway test certificate)")
	flag.StringVar(&cfg.APIURL, "api", "", "the standalone server's publish API `URL` (http://host:port, its api.addr), for apifanout and apiemit")
	flag.StringVar(&cfg.APIKey, "api-key", "", "-api: one of the server's api.keys")
	flag.IntVar(&cfg.APIConns, "api-conns", 32, "-api: keep-alive connections posting (requests in flight at most)")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of siobench to `file`")
	flag.Parse()
	if *cpuProfile != "" {
		if f, err := os.Create(*cpuProfile); err == nil {
			pprof.StartCPUProfile(f)
			defer pprof.StopCPUProfile()
		}
	}

	if quick {
		set := map[string]bool{}
		flag.Visit(func(f *flag.Flag) { set[f.Name] = true })
		applyQuick(&cfg, set, &rate, &echoRate)
	}
	if err := applyNodes(&cfg, *addrs, *pids, *split); err != nil {
		fmt.Fprintln(os.Stderr, "siobench:", err)
		return 2
	}
	if cfg.TLS, err = clientTLS(*useTLS, cfg.Addr, *tlsCA, *tlsInsecure); err != nil {
		fmt.Fprintln(os.Stderr, "siobench:", err)
		return 2
	}
	cfg.Scenarios, err = load.ParseScenarios(scen, map[string]float64{
		"fanout": rate, "room": roomRate, "echo": echoRate, "apifanout": rate, "publish": rate, "apiemit": echoRate,
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "siobench:", err)
		return 2
	}
	cfg.Progress = !noProgress && isTerminal(2)
	if hardStop <= 0 {
		per := cfg.Warmup + cfg.Duration + 2*cfg.Drain + 10*time.Second
		hardStop = 90*time.Second + time.Duration(len(cfg.Scenarios))*per
	}
	time.AfterFunc(hardStop, func() {
		fmt.Fprintf(os.Stderr, "siobench: hard stop after %v\n", hardStop)
		os.Exit(3)
	})
	if lim, err := wsclient.RaiseNoFile(); err == nil && uint64(cfg.Clients+cfg.PostConns)+64 > lim {
		fmt.Fprintf(os.Stderr, "siobench: RLIMIT_NOFILE %d is below %d clients\n", lim, cfg.Clients)
		return 2
	}

	out, closeOut, err := openOut(jsonOut)
	if err != nil {
		fmt.Fprintln(os.Stderr, "siobench:", err)
		return 2
	}
	defer closeOut()
	var results []load.Result
	failed := false
	err = load.Run(cfg, func(r load.Result) {
		results = append(results, r)
		if r.Error != "" {
			failed = true
			fmt.Fprintf(os.Stderr, "siobench: %s/%s: %s\n", r.Peer, r.Scenario, r.Error)
		}
		if note := unaskedNote(r); note != "" {
			fmt.Fprintf(os.Stderr, "siobench: %s/%s: %s\n", r.Peer, r.Scenario, note)
		}
		if out != nil {
			b, _ := json.Marshal(r)
			out.Write(append(b, '\n'))
		}
	})
	if md {
		os.Stdout.WriteString(report.Markdown(results, ""))
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "siobench:", err)
		return 1
	}
	if failed {
		return 1
	}
	return 0
}

// unaskedNote says what the clients received that none of the bench's
// messages explains (empty when nothing, or when the error already says
// it): a server that sends every client events of its own skews every
// figure of the run, and its first packet names the culprit.
func unaskedNote(r load.Result) string {
	if !r.UnparsableUnreported() {
		return ""
	}
	return fmt.Sprintf("the clients received %d packets that are none of the bench's (first: %s): "+
		"the server sends them events of its own, and every figure of the run includes that traffic",
		r.Unparsable, r.FirstUnparsable)
}

// clientTLS builds the -tls client configuration: nil without -tls; with
// it, the server name is -addr's host (an IP address is checked against the
// certificate's IP SANs) and the roots come from -tls-ca when given.
func clientTLS(on bool, addr, caFile string, insecure bool) (*tls.Config, error) {
	if !on {
		if caFile != "" || insecure {
			return nil, errors.New("-tls-ca and -tls-insecure need -tls")
		}
		return nil, nil
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("-addr: %w", err)
	}
	cfg := &tls.Config{ServerName: host, InsecureSkipVerify: insecure}
	if caFile != "" {
		pem, err := os.ReadFile(caFile)
		if err != nil {
			return nil, fmt.Errorf("-tls-ca: %w", err)
		}
		cfg.RootCAs = x509.NewCertPool()
		if !cfg.RootCAs.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("-tls-ca: no PEM certificate in %s", caFile)
		}
	}
	return cfg, nil
}

// applyQuick sets the CI smoke values of every flag not given explicitly.
func applyQuick(cfg *load.Config, set map[string]bool, rate, echoRate *float64) {
	quick := []struct {
		flag string
		fn   func()
	}{
		{"clients", func() { cfg.Clients = 200 }},
		{"fail-unparsable", func() { cfg.FailOnUnparsable = true }},
		{"rate", func() { *rate = 50 }},
		{"echo-rate", func() { *echoRate = 2000 }},
		{"warmup", func() { cfg.Warmup = 300 * time.Millisecond }},
		{"duration", func() { cfg.Duration = 2 * time.Second }},
		{"drain", func() { cfg.Drain = 2 * time.Second }},
		{"settle", func() { cfg.Settle = 300 * time.Millisecond }},
		{"rooms", func() { cfg.Rooms = 10 }},
	}
	for _, q := range quick {
		if !set[q.flag] {
			q.fn()
		}
	}
}

func openOut(path string) (*os.File, func(), error) {
	switch path {
	case "":
		return nil, func() {}, nil
	case "-":
		return os.Stdout, func() {}, nil
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, nil, err
	}
	return f, func() { f.Close() }, nil
}

func isTerminal(fd int) bool {
	_, err := unix.IoctlGetTermios(fd, unix.TCGETS)
	return err == nil
}
