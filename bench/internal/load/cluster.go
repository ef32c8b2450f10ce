package load

import (
	"fmt"
	"net/netip"
	"time"

	"github.com/sio-fast/sio-fast/bench/internal/procstat"
	"github.com/sio-fast/sio-fast/bench/internal/redisinfo"
)

// nodes returns the servers of the run: cfg.Nodes, or the one server that
// Addr, ServerPID and Clients describe.
func (c Config) nodes() []Node {
	if len(c.Nodes) > 0 {
		return c.Nodes
	}
	return []Node{{Addr: c.Addr, PID: c.ServerPID, Clients: c.Clients}}
}

// clusterSetup checks cfg's nodes and returns their addresses and, per
// node, one past the index of its last client; cfg.Clients becomes the
// total.
func clusterSetup(cfg *Config) (addrs []netip.AddrPort, bounds []int, err error) {
	nodes := cfg.nodes()
	total := 0
	for i, n := range nodes {
		a, err := netip.ParseAddrPort(n.Addr)
		if err != nil {
			return nil, nil, fmt.Errorf("load: node %d address: %v", i, err)
		}
		if n.Clients < 0 || (i == 0 && n.Clients == 0) {
			return nil, nil, fmt.Errorf("load: node %d: %d clients (the first node needs one: the publisher)", i, n.Clients)
		}
		total += n.Clients
		addrs = append(addrs, a)
		bounds = append(bounds, total)
	}
	cfg.Clients = total
	return addrs, bounds, nil
}

// nodeOf returns the node of client id.
func (t *tracker) nodeOf(id int) int {
	for k, b := range t.bounds {
		if id < b {
			return k
		}
	}
	return len(t.bounds) - 1
}

// servers samples every node's process (zeros for a node without a PID or
// whose /proc could not be read).
func (r *runner) servers() []procstat.Sample {
	nodes := r.cfg.nodes()
	out := make([]procstat.Sample, len(nodes))
	for i, n := range nodes {
		out[i].At = time.Now()
		if n.PID > 0 {
			if s, err := procstat.Read(n.PID); err == nil {
				out[i] = s
			}
		}
	}
	return out
}

// server sums the nodes' samples: the one server of a plain run.
func (r *runner) server() procstat.Sample {
	var s procstat.Sample
	for _, n := range r.servers() {
		s.CPU += n.CPU
		s.RSSKiB += n.RSSKiB
		s.PSSKiB += n.PSSKiB
		s.At = n.At
	}
	return s
}

// hasPID reports whether any node's process is read.
func (r *runner) hasPID() bool {
	for _, n := range r.cfg.nodes() {
		if n.PID > 0 {
			return true
		}
	}
	return false
}

// clusterFigures fills res.Nodes and res.Remote of a cluster run from the
// window's per-node samples.
func (r *runner) clusterFigures(res *Result, before, after []procstat.Sample, elapsed time.Duration) {
	if len(r.cfg.Nodes) == 0 {
		return
	}
	for i, n := range r.cfg.Nodes {
		cpu := after[i].CPU - before[i].CPU
		nr := NodeResult{Addr: n.Addr, Clients: n.Clients, Received: r.t.nodeRecv[i].Load(),
			ServerCPUms: ms(cpu), ServerCores: cpu.Seconds() / elapsed.Seconds(), RSSKiB: after[i].RSSKiB}
		nr.PerSec = float64(nr.Received) / elapsed.Seconds()
		if msgs := published(res); n.PID > 0 && msgs > 0 {
			nr.CPUPerMsgUs = float64(cpu.Microseconds()) / float64(msgs)
		}
		res.Nodes = append(res.Nodes, nr)
	}
	rem := &Deliveries{}
	for _, n := range res.Nodes[1:] {
		rem.Received += n.Received
	}
	rem.PerSec = float64(rem.Received) / elapsed.Seconds()
	rem.P50, rem.P90, rem.P99, rem.P999, rem.Max = latencyUs(r.t.remoteLat.Summarize())
	res.Remote = rem
}

// redisSample reads the cluster's Redis, or returns nil without
// Config.Redis or when it cannot be read (the figures are then left out).
func (r *runner) redisSample() *redisinfo.Sample {
	if r.cfg.Redis == "" {
		return nil
	}
	s, err := redisinfo.Read(r.cfg.Redis)
	if err != nil {
		return nil
	}
	return &s
}

// published is the number of messages of res's window that went through
// Redis: Redis's count when it was read, else the messages sent.
func published(res *Result) uint64 {
	if res.Redis != nil && res.Redis.Published > 0 {
		return uint64(res.Redis.Published)
	}
	return res.Sent
}

// awaitPublished waits until Redis has run as many publishing commands
// since before as sent, or until none came for the drain time: a node
// whose clients got their local deliveries may still be sending to Redis
// (a Node node on a shared core lags by seconds), and the window must
// hold every message it counts.
func (r *runner) awaitPublished(before *redisinfo.Sample, sent uint64) {
	if before == nil {
		return
	}
	last, since := int64(-1), time.Now()
	for time.Since(since) < r.cfg.Drain {
		s, err := redisinfo.Read(r.cfg.Redis)
		if err != nil {
			return
		}
		n := s.Published - before.Published
		if n >= int64(sent) {
			return
		}
		if n != last {
			last, since = n, time.Now()
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// redisFigures fills res.Redis from two readings around the window.
func redisFigures(res *Result, before, after *redisinfo.Sample) {
	if before == nil || after == nil {
		return
	}
	d := after.Sub(*before)
	rr := &RedisResult{Published: d.Published, InBytes: d.In, OutBytes: d.Out, CPUms: ms(d.CPU)}
	res.Redis = rr
	if n := float64(published(res)); n > 0 {
		rr.InPerMsg, rr.OutPerMsg = float64(d.In)/n, float64(d.Out)/n
		rr.CPUPerMsgUs = float64(d.CPU.Microseconds()) / n
	}
}
