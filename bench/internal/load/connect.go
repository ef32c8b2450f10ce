package load

import (
	"fmt"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/sio-fast/sio-fast/bench/internal/procstat"
	"github.com/sio-fast/sio-fast/bench/internal/wsclient"
)

// perAddr is how many connections share one source address by default.
// Far below the ~28k ports of the range: the kernel's ephemeral port search
// in connect(2) walks the ports already used towards the same destination,
// and measured at 15,000 connections from one address it took 89% of the
// generator's CPU (1.8 ms per connect).
const perAddr = 2000

// sources returns the 127.0.0.x source addresses to bind: none (let the
// kernel choose) for small runs, else one address per perAddr clients, and
// never fewer than the port range requires.
func sources(clients, forced int) []netip.Addr {
	n := forced
	if n <= 0 {
		per := min(perAddr, ephemeralPorts()-2000) // leave room for other sockets
		n = (clients + per - 1) / per
		if n <= 1 {
			return []netip.Addr{{}}
		}
	}
	out := make([]netip.Addr, n)
	for i := range out {
		out[i] = netip.AddrFrom4([4]byte{127, 0, byte((i + 1) >> 8), byte((i + 1) & 0xff)})
	}
	return out
}

// ephemeralPorts reads the size of the local port range (28,232 by default).
func ephemeralPorts() int {
	b, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range")
	if err == nil {
		f := strings.Fields(string(b))
		if len(f) == 2 {
			lo, e1 := strconv.Atoi(f[0])
			hi, e2 := strconv.Atoi(f[1])
			if e1 == nil && e2 == nil && hi > lo {
				return hi - lo + 1
			}
		}
	}
	return 28232
}

// connect ramps up cfg.Clients connections with at most cfg.Concurrency
// handshakes in flight, and fills in the idle figures.
func (r *runner) connect(res *Result) error {
	srcs := sources(r.cfg.Clients, r.cfg.SrcAddrs)
	before := r.server()
	genBefore := procstat.SelfCPU()
	start := time.Now()
	stop := r.progress("connect", func() (float64, string) {
		n := r.t.ready.Load()
		return float64(n) / float64(r.cfg.Clients), fmt.Sprintf("%d/%d conns", n, r.cfg.Clients)
	})
	r.conns = make([]*wsclient.Conn, 0, r.cfg.Clients)
	for i := 0; i < r.cfg.Clients; i++ {
		r.t.sem <- struct{}{}
		c, err := r.engs[r.t.nodeOf(i)].Dial(i, srcs[i%len(srcs)])
		if err != nil {
			r.t.release()
			stop()
			return fmt.Errorf("%w: dial %d: %v", ErrConnect, i, err)
		}
		r.conns = append(r.conns, c)
	}
	deadline := time.Now().Add(30*time.Second + r.cfg.Drain)
	for r.t.ready.Load()+r.t.failed.Load() < int64(r.cfg.Clients) && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	elapsed := time.Since(start)
	stop()
	after := r.server()
	res.Seconds = elapsed.Seconds()
	res.Received = uint64(r.t.ready.Load())
	res.Expected = uint64(r.cfg.Clients)
	res.Lost = res.Expected - res.Received
	res.PerSec = float64(res.Received) / elapsed.Seconds()
	r.t.badFigures(res) // what the server sent unasked during the ramp
	fillLatency(res, r.t.hs.Summarize())
	cpu := after.CPU - before.CPU
	res.ServerCPUms = ms(cpu)
	res.ServerCores = cpu.Seconds() / elapsed.Seconds()
	res.CPUPer1kConn = ms(cpu) * 1000 / float64(max(res.Received, 1))
	res.GenCPUms = ms(procstat.SelfCPU() - genBefore)
	if res.Lost > 0 {
		return fmt.Errorf("%w: %d of %d (last error: %v)", ErrConnect, res.Lost, res.Expected, r.t.lastErr.Load())
	}
	// Memory after the connections settle, against the baseline before.
	time.Sleep(r.cfg.Settle)
	settled := r.server()
	res.RSSKiB, res.PSSKiB = settled.RSSKiB, settled.PSSKiB
	if before.RSSKiB > 0 {
		res.KiBPerConn = float64(settled.RSSKiB-before.RSSKiB) / float64(res.Received)
	}
	return nil
}
