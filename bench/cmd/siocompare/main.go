// Command siocompare builds and starts every peer in turn (sio-fast's bench
// app, the syscall floor of bench/cmd/floor, Node socket.io@4.8, Go
// zishang520/socket.io v3), pins the server to one core and siobench to
// another with taskset, runs the suite of issue 5 against each server (one
// server process per peer, one siobench run per phase):
//
//  1. idle at 18,000 clients (RSS per connection, connections/s), then
//     those clients disconnect;
//  2. 10,000 clients: fanout at 10/s, fanout-max (32 in flight), room
//     (100 rooms, 200 msg/s);
//  3. 1,000 clients: fanout at 100/s, fanout-max, echo at 10,000/s, echo-max
//     (one echo in flight per client);
//  4. on a server started anew, 10,000 long-polling-only clients (issue 16):
//     idle-polling (memory per polling client), fanout-polling at 1/s; not
//     for the floors, which speak WebSocket only.
//
// Between phases it waits for the server to close the previous clients'
// sockets. A peer that fails to build, start or listen fails the run (exit
// 1); only an optional peer (node) whose tools are not installed is skipped,
// loudly, and only when -peers does not name it. It stops each server by its
// PID and writes bench/out/results.jsonl, report.md and report.html,
// printing the Markdown tables with sio-fast's ratio to each peer. Run it from the repository root (bench/run.sh does).
//
//	go run ./bench/cmd/siocompare [-quick] [-peers sio-fast,floor,node,zishang520] [-- siobench flags]
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/sio-fast/sio-fast/bench/internal/load"
	"github.com/sio-fast/sio-fast/bench/internal/report"
)

// peer is one server under test: how to build it and how to start it
// ({port} is replaced by the port). An optional peer whose tools are not
// installed is skipped (loudly) unless -peers names it; any other peer that
// fails to build, start or listen fails the run.
type peer struct {
	name     string
	build    [][]string
	run      []string
	optional bool
	tools    []string // executables the peer needs beyond the Go toolchain
	// noPolling: the peer speaks WebSocket only (the floors), so the
	// polling phases are not run against it.
	noPolling bool
}

func peers(out string) []peer {
	abs, err := filepath.Abs(out) // zishang520 builds from its own directory
	if err != nil {
		abs = out
	}
	sio := peer{
		name:  "sio-fast",
		build: [][]string{{"go", "build", "-o", out + "/bin/sio-fast", "./cmd/sio-fast"}},
		run:   []string{out + "/bin/sio-fast", "-mode", "bench-app", "-port", "{port}"},
	}
	if c := os.Getenv("SIOFAST_BENCH_CMD"); c != "" { // override, e.g. "bin/app -port {port}"
		sio.build, sio.run = nil, strings.Fields(c)
	}
	return []peer{
		sio,
		{
			name:      "floor",
			build:     [][]string{{"go", "build", "-o", out + "/bin/floor", "./bench/cmd/floor"}},
			run:       []string{out + "/bin/floor", "-port", "{port}", "-trace", filepath.Join(out, floorTrace)},
			noPolling: true,
		},
		{
			// The batching limit: the same program, one write per
			// connection per turn (bench/cmd/floor -batch).
			name:      "floor-batch",
			build:     [][]string{{"go", "build", "-o", out + "/bin/floor", "./bench/cmd/floor"}},
			run:       []string{out + "/bin/floor", "-batch", "-port", "{port}"},
			noPolling: true,
		},
		{
			name:     "node",
			build:    [][]string{{"sh", "-c", "cd bench/peers/node && { [ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error; }"}},
			run:      []string{"node", "bench/peers/node/server.js", "--port", "{port}"},
			optional: true,
			tools:    []string{"node", "npm"},
		},
		{
			name:  "zishang520",
			build: [][]string{{"sh", "-c", "cd bench/peers/zishang520 && go build -o " + abs + "/bin/zishang520 ."}},
			run:   []string{out + "/bin/zishang520", "-port", "{port}"},
		},
	}
}

// floorTrace is the floor's per-broadcast CSV, in the output directory.
const floorTrace = "floor.trace"

// phase is one siobench run against a running server. A fresh phase runs
// on a server started anew (so that its idle figures start from an empty
// server); a polling phase is skipped for peers without long-polling.
type phase struct {
	clients        int
	args           []string
	fresh, polling bool
}

// pollingArgs are the polling phase's siobench flags: long-polling-only
// clients, their idle memory, and fan-out at 1/s (each delivery is a GET
// answered and the next GET parsed).
var pollingArgs = []string{"-transport", "polling", "-scenario", "idle,fanout@1"}

// suite returns the phases of a run and the siobench flags common to all.
// A server that falls behind a fixed rate drains its backlog for as long as
// it progresses; -hard-stop only cuts a hang.
func suite(quick bool) ([]phase, []string) {
	if quick {
		return []phase{
			{clients: 300, args: []string{"-scenario", "idle"}},
			{clients: 200, args: []string{"-scenario", "fanout@20,fanout@max,room@200", "-rooms", "10", "-inflight", "32"}},
			{clients: 100, args: []string{"-scenario", "fanout@50,fanout@max,echo@2000,echo@max"}},
			{clients: 200, args: pollingArgs, fresh: true, polling: true},
		}, []string{"-warmup", "300ms", "-duration", "1s", "-drain", "2s", "-settle", "300ms", "-hard-stop", "90s", "-fail-unparsable"}
	}
	common := []string{"-warmup", "1s", "-duration", "5s", "-drain", "3s", "-settle", "2s", "-hard-stop", "6m"}
	return []phase{
		{clients: 18000, args: []string{"-scenario", "idle"}},
		{clients: 10000, args: []string{"-scenario", "fanout@10,fanout@max,room@200", "-rooms", "100", "-inflight", "32"}},
		{clients: 1000, args: []string{"-scenario", "fanout@100,fanout@max,echo@10000,echo@max"}},
		{clients: 10000, args: pollingArgs, fresh: true, polling: true},
	}, common
}

type options struct {
	out, only, serverCPU, genCPU string
	quick, render                bool
	startWait                    time.Duration
	benchArgs                    []string
}

func main() {
	var o options
	flag.StringVar(&o.out, "out", "", "output `dir` (results.jsonl, report.md, report.html, logs, bin/); default bench/out, bench/out/quick with -quick")
	flag.StringVar(&o.only, "peers", "", "comma list of peers to run (default all)")
	flag.StringVar(&o.serverCPU, "server-cpu", "0", "taskset CPU list for the server")
	flag.StringVar(&o.genCPU, "gen-cpu", "1", "taskset CPU list for siobench")
	flag.BoolVar(&o.quick, "quick", false, "CI smoke run: small N, short phases; exit 1 on any loss or failed scenario")
	flag.BoolVar(&o.render, "render", false, "only re-render report.md and report.html from the output dir's results.jsonl")
	flag.DurationVar(&o.startWait, "start-wait", 10*time.Second, "fail a peer that is not listening after this long")
	flag.Parse()
	o.benchArgs = flag.Args()
	if o.out == "" {
		o.out = "bench/out"
		if o.quick {
			o.out = "bench/out/quick" // make test must not overwrite a full run's report
		}
	}
	os.Exit(run(o))
}

func run(o options) int {
	if o.render {
		rs, err := readResults(filepath.Join(o.out, "results.jsonl"))
		if err != nil || len(rs) == 0 {
			fmt.Fprintln(os.Stderr, "siocompare: no results:", err)
			return 1
		}
		fmt.Print(writeReports(o, rs, nil, nil))
		return 0
	}
	if err := os.MkdirAll(o.out+"/bin", 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "siocompare:", err)
		return 2
	}
	if err := execLog("siobench", []string{"go", "build", "-o", o.out + "/bin/siobench", "./bench/cmd/siobench"}); err != nil {
		fmt.Fprintln(os.Stderr, "siocompare: building siobench:", err)
		return 2
	}
	results := filepath.Join(o.out, "results.jsonl")
	os.Remove(results)
	os.Remove(filepath.Join(o.out, floorTrace))
	selected, skipped, err := selectPeers(peers(o.out), o.only, exec.LookPath)
	if err != nil {
		fmt.Fprintln(os.Stderr, "siocompare:", err)
		return 2
	}
	for _, s := range skipped {
		fmt.Fprintf(os.Stderr, "siocompare: SKIPPED %s\n", s)
	}
	logSkips(os.Getenv("SKIP_LOG"), skipped)
	var ran, failures []string
	for _, p := range selected {
		ran = append(ran, p.name)
		if err := runPeer(o, p, results); err != nil {
			fmt.Fprintf(os.Stderr, "siocompare: FAILED %s: %v\n", p.name, err)
			failures = append(failures, p.name+": "+err.Error())
		}
	}
	failed := len(failures) > 0
	rs, err := readResults(results)
	if err != nil || len(rs) == 0 {
		fmt.Fprintln(os.Stderr, "siocompare: no results:", err)
		return 1
	}
	if err := addFloorLoops(rs, filepath.Join(o.out, floorTrace)); err != nil && slices.Contains(ran, "floor") {
		fmt.Fprintln(os.Stderr, "siocompare: floor trace:", err)
	}
	writeResults(results, rs)
	fmt.Print(writeReports(o, rs, skipped, failures))
	fmt.Fprintf(os.Stderr, "siocompare: wrote %s/{results.jsonl,report.md,report.html}; ran %v\n", o.out, ran)
	for _, r := range rs {
		if r.Error != "" {
			failed = true
		}
	}
	if failed || len(ran) == 0 {
		return 1
	}
	return 0
}

// writeReports writes report.md and report.html and returns the Markdown.
func writeReports(o options, rs []load.Result, skipped, failures []string) string {
	at := time.Now()
	for _, r := range rs {
		if r.Start > 0 { // re-rendered reports keep the run's date
			at = time.Unix(0, r.Start)
			break
		}
	}
	title := fmt.Sprintf("sio-fast bench, %s (server on CPU %s, siobench on CPU %s)",
		at.Format("2006-01-02 15:04"), o.serverCPU, o.genCPU)
	md := report.Markdown(rs, title)
	if len(skipped) > 0 {
		md += fmt.Sprintf("Skipped: %s\n", strings.Join(skipped, "; "))
	}
	if len(failures) > 0 {
		md += fmt.Sprintf("\nFAILED: %s\n", strings.Join(failures, "; "))
	}
	os.WriteFile(filepath.Join(o.out, "report.md"), []byte(md), 0o644)
	os.WriteFile(filepath.Join(o.out, "report.html"), []byte(report.HTML(rs, title)), 0o644)
	return md
}

// selectPeers returns the peers to run, in order: those -peers names (all
// when only is empty). An optional peer with a tool missing is skipped, with
// the reason in skipped, unless only names it; a named peer that does not
// exist is an error.
func selectPeers(all []peer, only string, lookPath func(string) (string, error)) (run []peer, skipped []string, err error) {
	var named []string
	if only != "" {
		named = strings.Split(only, ",")
		for _, n := range named {
			if !slices.ContainsFunc(all, func(p peer) bool { return p.name == n }) {
				return nil, nil, fmt.Errorf("unknown peer %q in -peers", n)
			}
		}
	}
	for _, p := range all {
		if named != nil && !slices.Contains(named, p.name) {
			continue
		}
		if p.optional && named == nil {
			if tool := missingTool(p, lookPath); tool != "" {
				skipped = append(skipped, fmt.Sprintf("%s (optional; %s is not installed, -peers %s requires it)", p.name, tool, p.name))
				continue
			}
		}
		run = append(run, p)
	}
	return run, skipped, nil
}

// logSkips appends the skipped peers to make test's list of skips (see
// scripts/skip-summary.sh), when there is one.
func logSkips(file string, skipped []string) {
	if file == "" || len(skipped) == 0 {
		return
	}
	f, err := os.OpenFile(file, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		fmt.Fprintln(os.Stderr, "siocompare:", err)
		return
	}
	defer f.Close()
	for _, s := range skipped {
		fmt.Fprintf(f, "bench peer %s\n", s)
	}
}

func missingTool(p peer, lookPath func(string) (string, error)) string {
	for _, t := range p.tools {
		if _, err := lookPath(t); err != nil {
			return t
		}
	}
	return ""
}

// runPeer builds one peer, then runs the suite's phases against it: one
// server process per run of phases, a new one for each fresh phase.
func runPeer(o options, p peer, results string) error {
	for _, cmd := range p.build {
		if err := execLog(p.name+" build", cmd); err != nil {
			return fmt.Errorf("build: %v", err)
		}
	}
	os.Remove(filepath.Join(o.out, p.name+".log")) // each server run appends to it
	phases, common := suite(o.quick)
	var failed error
	for _, run := range serverRuns(phases, p) {
		if err := runServer(o, p, run, common, results); err != nil && failed == nil {
			failed = err
		}
	}
	return failed
}

// serverRuns splits the phases p takes part in into runs of one server
// each: a fresh phase starts a new run.
func serverRuns(phases []phase, p peer) [][]phase {
	var runs [][]phase
	for _, ph := range phases {
		if ph.polling && p.noPolling {
			continue
		}
		if ph.fresh || len(runs) == 0 {
			runs = append(runs, nil)
		}
		runs[len(runs)-1] = append(runs[len(runs)-1], ph)
	}
	return runs
}

// runServer starts the peer, runs phases against it and stops it by PID.
func runServer(o options, p peer, phases []phase, common []string, results string) error {
	port, err := freePort()
	if err != nil {
		return err
	}
	args := append([]string{"-c", o.serverCPU}, subst(p.run, port)...)
	srv := exec.Command("taskset", args...)
	srv.Env = append(os.Environ(), "PORT="+strconv.Itoa(port))
	logf, _ := os.OpenFile(filepath.Join(o.out, p.name+".log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	defer logf.Close()
	srv.Stdout, srv.Stderr = logf, logf
	if err := srv.Start(); err != nil {
		return fmt.Errorf("start: %v", err)
	}
	pid := srv.Process.Pid // taskset execs the server: same PID
	exited := make(chan struct{})
	go func() { srv.Wait(); close(exited) }()
	defer stop(pid, exited)
	addr := "127.0.0.1:" + strconv.Itoa(port)
	if err := waitListening(addr, o.startWait, exited); err != nil {
		return fmt.Errorf("%v (see %s/%s.log)", err, o.out, p.name)
	}
	fmt.Fprintf(os.Stderr, "== %s (pid %d) on %s\n", p.name, pid, addr)
	baseFDs := countFDs(pid)
	var failed error
	for i, ph := range phases {
		select {
		case <-exited:
			return fmt.Errorf("server exited before phase %d (see %s.log)", i+1, p.name)
		default:
		}
		start := time.Now()
		bargs := []string{"-c", o.genCPU, o.out + "/bin/siobench", "-addr", addr, "-peer", p.name,
			"-server-pid", strconv.Itoa(pid), "-json", results, "-clients", strconv.Itoa(ph.clients)}
		bargs = append(append(append(bargs, common...), ph.args...), o.benchArgs...)
		fmt.Fprintf(os.Stderr, "-- %s phase %d: -clients %d %s %s\n", p.name, i+1, ph.clients,
			strings.Join(ph.args, " "), strings.Join(o.benchArgs, " "))
		bench := exec.Command("taskset", bargs...)
		bench.Stdout, bench.Stderr = os.Stderr, os.Stderr
		if err := bench.Run(); err != nil && failed == nil {
			failed = fmt.Errorf("phase %d: siobench: %v", i+1, err)
		}
		// The clients are gone; let the server close its side before the
		// next phase connects, so phases never overlap.
		waited, ok := waitFDs(pid, baseFDs+16, 30*time.Second, exited)
		fmt.Fprintf(os.Stderr, "-- %s phase %d took %v; server closed the clients in %v\n",
			p.name, i+1, time.Since(start).Round(time.Second), waited.Round(10*time.Millisecond))
		if !ok {
			fmt.Fprintf(os.Stderr, "siocompare: %s still holds %d fds (%d before phase 1)\n", p.name, countFDs(pid), baseFDs)
		}
	}
	return failed
}

// countFDs counts the open files of pid (0 if unreadable).
func countFDs(pid int) int {
	ents, err := os.ReadDir("/proc/" + strconv.Itoa(pid) + "/fd")
	if err != nil {
		return 0
	}
	return len(ents)
}

// waitFDs waits until pid holds at most limit open files, for at most d.
func waitFDs(pid, limit int, d time.Duration, exited chan struct{}) (time.Duration, bool) {
	start := time.Now()
	for time.Since(start) < d {
		select {
		case <-exited:
			return time.Since(start), false
		default:
		}
		if countFDs(pid) <= limit {
			return time.Since(start), true
		}
		time.Sleep(50 * time.Millisecond)
	}
	return time.Since(start), false
}

// stop sends SIGTERM to the server's PID, then SIGKILL after 3 s.
func stop(pid int, exited chan struct{}) {
	syscall.Kill(pid, syscall.SIGTERM)
	select {
	case <-exited:
	case <-time.After(3 * time.Second):
		syscall.Kill(pid, syscall.SIGKILL)
		<-exited
	}
}

func waitListening(addr string, d time.Duration, exited chan struct{}) error {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return errors.New("server exited")
		default:
		}
		if c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond); err == nil {
			c.Close()
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("not listening on %s after %v", addr, d)
}

// freePort asks the kernel for an unused loopback port.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func execLog(label string, argv []string) error {
	fmt.Fprintf(os.Stderr, "-- %s: %s\n", label, strings.Join(argv, " "))
	c := exec.Command(argv[0], argv[1:]...)
	c.Stdout, c.Stderr = os.Stderr, os.Stderr
	return c.Run()
}

func subst(argv []string, port int) []string {
	out := make([]string, len(argv))
	for i, a := range argv {
		out[i] = strings.ReplaceAll(a, "{port}", strconv.Itoa(port))
	}
	return out
}

func readResults(path string) ([]load.Result, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var rs []load.Result
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var r load.Result
		if json.Unmarshal(sc.Bytes(), &r) == nil {
			rs = append(rs, r)
		}
	}
	return rs, sc.Err()
}

func writeResults(path string, rs []load.Result) error {
	var b []byte
	for _, r := range rs {
		line, err := json.Marshal(r)
		if err != nil {
			return err
		}
		b = append(append(b, line...), '\n')
	}
	return os.WriteFile(path, b, 0o644)
}
