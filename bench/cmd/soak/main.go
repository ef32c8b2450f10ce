// Command soak holds a population of Socket.IO clients against the sio-fast
// bench app for a long time, with steady churn and broadcasts, and reports
// what a long run shows and short benchmarks do not: lost or duplicated
// broadcasts, failed reconnects, the server's RSS every -sample with its
// slope after -warmup, and its descriptors and goroutines once the clients
// have left (issue 16, part 4). `make soak` runs it at the size.
//
//	soak -server bin/sio-fast [-clients 18000 -duration 10m -connects 200 -disconnects 200 -broadcasts 5]
//
// The server runs as its own process (taskset -server-cpu), so each side
// has its own 20,000-descriptor limit; clients bind source addresses spread
// over 127.0.0.0/8 so churn never runs out of ephemeral ports.
package main

import (
	"flag"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"time"

	"github.com/sio-fast/sio-fast/bench/internal/wsclient"
)

type config struct {
	bin, cpu               string
	clients                int
	duration, warmup       time.Duration
	sample, settle         time.Duration
	connects, disconnects  int
	broadcasts             float64
	payload, workers, srcs int
}

func main() {
	var c config
	flag.StringVar(&c.bin, "server", "", "sio-fast binary (run as -mode bench-app)")
	flag.StringVar(&c.cpu, "server-cpu", "", "taskset CPU list for the server (empty: not pinned)")
	flag.IntVar(&c.clients, "clients", 18000, "connections held")
	flag.DurationVar(&c.duration, "duration", 10*time.Minute, "length of the churn phase")
	flag.DurationVar(&c.warmup, "warmup", 2*time.Minute, "RSS samples before this are left out of the slope")
	flag.DurationVar(&c.sample, "sample", 10*time.Second, "RSS sampling interval")
	flag.DurationVar(&c.settle, "settle", 2*time.Second, "time given to in-flight broadcasts before a leaving client is accounted")
	flag.IntVar(&c.connects, "connects", 200, "new connections per second")
	flag.IntVar(&c.disconnects, "disconnects", 200, "disconnections per second (half abrupt)")
	flag.Float64Var(&c.broadcasts, "broadcasts", 5, "broadcasts to every client per second")
	flag.IntVar(&c.payload, "payload", 64, "bytes of padding in each broadcast")
	flag.IntVar(&c.workers, "workers", 1, "client epoll workers")
	flag.IntVar(&c.srcs, "src-addrs", 16, "127.0.0.x source addresses")
	flag.Parse()
	if c.bin == "" {
		fmt.Fprintln(os.Stderr, "soak: -server is required")
		os.Exit(2)
	}
	ok, err := run(c)
	if err != nil {
		fmt.Fprintln(os.Stderr, "soak:", err)
		os.Exit(1)
	}
	if !ok {
		os.Exit(1)
	}
}

func run(c config) (bool, error) {
	if _, err := wsclient.RaiseNoFile(); err != nil {
		return false, err
	}
	dir, err := os.MkdirTemp("", "soak")
	if err != nil {
		return false, err
	}
	defer os.RemoveAll(dir)
	srv, err := startServer(c.bin, c.cpu, filepath.Join(dir, "heap.pprof"))
	if err != nil {
		return false, err
	}
	defer srv.stop()
	// The readiness probe's connection is still closing on the server side:
	// read the baseline once the socket count stops falling.
	baseKinds := srv.fdKinds()
	for i := 0; i < 50; i++ {
		time.Sleep(100 * time.Millisecond)
		k := srv.fdKinds()
		if k["socket"] >= baseKinds["socket"] {
			baseKinds = k
			break
		}
		baseKinds = k
	}
	baseG := srv.numGoroutines()
	srcs := make([]netip.Addr, c.srcs)
	for i := range srcs {
		srcs[i] = netip.AddrFrom4([4]byte{127, 0, 0, byte(2 + i)})
	}
	f := newFleet(srcs)
	f.eng, err = wsclient.New(wsclient.Config{Server: netip.MustParseAddrPort(srv.addr), Workers: c.workers, Handler: f})
	if err != nil {
		return false, err
	}
	start := time.Now()
	if err := ramp(f, c.clients); err != nil {
		f.eng.Close()
		return false, err
	}
	fmt.Printf("soak: %d clients ready in %v; server RSS %d KiB, %d fds\n", f.numReady(), time.Since(start).Round(time.Millisecond), srv.rssKiB(), srv.fds())
	samples := churn(c, f, srv)
	time.Sleep(c.settle) // the last broadcasts arrive
	f.finish()
	f.eng.Close()
	waitSockets(srv, baseKinds["socket"], 30*time.Second)
	endKinds, endG := srv.fdKinds(), srv.numGoroutines()
	r := result{cfg: c, samples: samples, baseFDs: baseKinds, endFDs: endKinds, baseG: baseG, endG: endG, f: f}
	r.print(os.Stdout)
	return r.ok(), nil
}

// ramp connects n clients, at most 256 handshakes in flight; client 0 is
// the publisher.
func ramp(f *fleet, n int) error {
	deadline := time.Now().Add(time.Duration(n/100+30) * time.Second)
	for i := 0; i < n; i++ {
		for f.pending.Load() >= 256 {
			if time.Now().After(deadline) {
				return fmt.Errorf("ramp-up: %d of %d ready before the deadline", f.numReady(), n)
			}
			time.Sleep(time.Millisecond)
		}
		f.dial()
	}
	for f.pending.Load() > 0 {
		if time.Now().After(deadline) {
			return fmt.Errorf("ramp-up: %d of %d ready before the deadline", f.numReady(), n)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if f.failed.Load() > 0 {
		return fmt.Errorf("ramp-up: %d connections failed", f.failed.Load())
	}
	return nil
}

// sample is one reading of the server.
type sample struct {
	at          time.Duration
	rssKiB, fds int
	ready       int
	delivered   int64
}

// churn runs the steady phase: broadcasts from client 0, connects and
// disconnects spread over each second, and a sample every c.sample.
func churn(c config, f *fleet, srv *server) []sample {
	pub := f.publisher()
	start := time.Now()
	tick := time.NewTicker(20 * time.Millisecond) // 50 steps a second
	defer tick.Stop()
	var samples []sample
	nextSample := time.Duration(0)
	var bcastDue, connDue, discDue float64
	pad := make([]byte, c.payload)
	for i := range pad {
		pad[i] = 'x'
	}
	var frame []byte
	for now := range tick.C {
		el := now.Sub(start)
		if el >= nextSample {
			samples = append(samples, sample{at: el, rssKiB: srv.rssKiB(), fds: srv.fds(), ready: f.numReady(), delivered: f.delivered.Load()})
			s := samples[len(samples)-1]
			fmt.Printf("soak: %4.0fs  RSS %6d KiB  fds %6d  ready %6d  delivered %d  lost %d  failed %d\n",
				el.Seconds(), s.rssKiB, s.fds, s.ready, s.delivered, f.lost.Load(), f.failed.Load())
			nextSample += c.sample
		}
		if el >= c.duration {
			break
		}
		step := 0.02
		for bcastDue += c.broadcasts * step; bcastDue >= 1; bcastDue-- {
			seq := f.sent.Add(1)
			frame = wsclient.AppendText(frame[:0], fmt.Appendf(nil, `42["broadcast",{"t":%d,"p":"%dx%s"}]`, el.Nanoseconds(), seq, pad))
			_ = pub.Send(frame)
		}
		discDue += float64(c.disconnects) * step
		if n := int(discDue); n > 0 {
			discDue -= float64(n)
			f.leave(n, c.settle)
		}
		for connDue += float64(c.connects) * step; connDue >= 1; connDue-- {
			f.dial()
		}
	}
	return samples
}

// publisher returns client 0's connection.
func (f *fleet) publisher() *wsclient.Conn {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.byID[0].conn
}

// waitSockets waits until the server's sockets are back to base, or for d.
func waitSockets(srv *server, base int, d time.Duration) {
	for deadline := time.Now().Add(d); srv.fdKinds()["socket"] > base && time.Now().Before(deadline); {
		time.Sleep(100 * time.Millisecond)
	}
}
