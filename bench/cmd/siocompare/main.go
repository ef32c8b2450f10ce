// Command siocompare builds and starts every peer in turn (sio-fast's bench
// app, Node socket.io@4.8, Go zishang520/socket.io v3), pins the server to
// one core and siobench to another with taskset, runs the same scenarios,
// stops each server by its PID and writes bench/out/results.jsonl,
// report.md and report.html, printing the Markdown table with sio-fast's
// ratio to each peer. Run it from the repository root (bench/run.sh does).
//
//	go run ./bench/cmd/siocompare [-quick] [-peers sio-fast,node,zishang520] [-- siobench flags]
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
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/sio-fast/sio-fast/bench/internal/load"
	"github.com/sio-fast/sio-fast/bench/internal/report"
)

// peer is one server under test: how to build it and how to start it
// ({port} is replaced by the port).
type peer struct {
	name  string
	build [][]string
	run   []string
	env   []string
}

func peers(out string) []peer {
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
			name:  "node",
			build: [][]string{{"sh", "-c", "cd bench/peers/node && { [ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error; }"}},
			run:   []string{"node", "bench/peers/node/server.js", "--port", "{port}"},
		},
		{
			name:  "zishang520",
			build: [][]string{{"sh", "-c", "cd bench/peers/zishang520 && go build -o ../../../" + out + "/bin/zishang520 ."}},
			run:   []string{out + "/bin/zishang520", "-port", "{port}"},
		},
	}
}

type options struct {
	out, only, serverCPU, genCPU string
	quick                        bool
	startWait                    time.Duration
	benchArgs                    []string
}

func main() {
	var o options
	flag.StringVar(&o.out, "out", "bench/out", "output `dir` (results.jsonl, report.md, report.html, bin/)")
	flag.StringVar(&o.only, "peers", "", "comma list of peers to run (default all)")
	flag.StringVar(&o.serverCPU, "server-cpu", "0", "taskset CPU list for the server")
	flag.StringVar(&o.genCPU, "gen-cpu", "1", "taskset CPU list for siobench")
	flag.BoolVar(&o.quick, "quick", false, "CI smoke run: small N, short phases; exit 1 on any loss or failed scenario")
	flag.DurationVar(&o.startWait, "start-wait", 10*time.Second, "skip a peer that is not listening after this long")
	flag.Parse()
	o.benchArgs = flag.Args()
	os.Exit(run(o))
}

func run(o options) int {
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
	var ran, skipped []string
	failed := false
	for _, p := range peers(o.out) {
		if o.only != "" && !contains(strings.Split(o.only, ","), p.name) {
			continue
		}
		switch err := runPeer(o, p, results); {
		case errors.Is(err, errSkip):
			fmt.Fprintf(os.Stderr, "siocompare: %s skipped: %v\n", p.name, err)
			skipped = append(skipped, p.name)
		case err != nil:
			fmt.Fprintf(os.Stderr, "siocompare: %s: %v\n", p.name, err)
			ran = append(ran, p.name)
			failed = true
		default:
			ran = append(ran, p.name)
		}
	}
	rs, err := readResults(results)
	if err != nil || len(rs) == 0 {
		fmt.Fprintln(os.Stderr, "siocompare: no results:", err)
		return 1
	}
	title := fmt.Sprintf("sio-fast bench, %s (server on CPU %s, siobench on CPU %s)",
		time.Now().Format("2006-01-02 15:04"), o.serverCPU, o.genCPU)
	md := report.Markdown(rs, title)
	if len(skipped) > 0 {
		md += fmt.Sprintf("Skipped (did not build or start): %s\n", strings.Join(skipped, ", "))
	}
	os.WriteFile(filepath.Join(o.out, "report.md"), []byte(md), 0o644)
	os.WriteFile(filepath.Join(o.out, "report.html"), []byte(report.HTML(rs, title)), 0o644)
	fmt.Print(md)
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

var errSkip = errors.New("peer unavailable")

// runPeer builds and starts one peer, runs siobench against it and stops it
// by PID.
func runPeer(o options, p peer, results string) error {
	for _, cmd := range p.build {
		if err := execLog(p.name+" build", cmd); err != nil {
			return fmt.Errorf("%w: build: %v", errSkip, err)
		}
	}
	port, err := freePort()
	if err != nil {
		return err
	}
	args := append([]string{"-c", o.serverCPU}, subst(p.run, port)...)
	srv := exec.Command("taskset", args...)
	srv.Env = append(os.Environ(), "PORT="+strconv.Itoa(port))
	logf, _ := os.Create(filepath.Join(o.out, p.name+".log"))
	defer logf.Close()
	srv.Stdout, srv.Stderr = logf, logf
	if err := srv.Start(); err != nil {
		return fmt.Errorf("%w: start: %v", errSkip, err)
	}
	pid := srv.Process.Pid // taskset execs the server: same PID
	exited := make(chan struct{})
	go func() { srv.Wait(); close(exited) }()
	defer stop(pid, exited)
	addr := "127.0.0.1:" + strconv.Itoa(port)
	if err := waitListening(addr, o.startWait, exited); err != nil {
		return fmt.Errorf("%w: %v (see %s.log)", errSkip, err, p.name)
	}
	fmt.Fprintf(os.Stderr, "== %s (pid %d) on %s\n", p.name, pid, addr)
	bargs := []string{"-c", o.genCPU, o.out + "/bin/siobench", "-addr", addr, "-peer", p.name,
		"-server-pid", strconv.Itoa(pid), "-json", results}
	if o.quick {
		bargs = append(bargs, "-quick")
	}
	bench := exec.Command("taskset", append(bargs, o.benchArgs...)...)
	bench.Stdout, bench.Stderr = os.Stderr, os.Stderr
	return bench.Run()
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

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
