package load

import (
	"testing"
	"time"

	"github.com/sio-fast/sio-fast/bench/internal/procstat"
	"github.com/sio-fast/sio-fast/bench/internal/wsclient"
)

func TestClusterSetup(t *testing.T) {
	cfg := Config{Clients: 99, Nodes: []Node{{Addr: "127.0.0.1:1", Clients: 2}, {Addr: "127.0.0.1:2", Clients: 0}, {Addr: "127.0.0.1:3", Clients: 3}}}
	addrs, bounds, err := clusterSetup(&cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(addrs) != 3 || addrs[2].Port() != 3 || cfg.Clients != 5 {
		t.Fatalf("addrs %v, clients %d", addrs, cfg.Clients)
	}
	if want := []int{2, 2, 5}; len(bounds) != 3 || bounds[0] != want[0] || bounds[1] != want[1] || bounds[2] != want[2] {
		t.Fatalf("bounds %v, want %v", bounds, want)
	}
	tr := newTracker(1)
	tr.setNodes(bounds, true)
	for id, want := range []int{0, 0, 2, 2, 2} { // node 1 holds nobody
		if got := tr.nodeOf(id); got != want {
			t.Errorf("client %d on node %d, want %d", id, got, want)
		}
	}
	plain := Config{Addr: "127.0.0.1:7", Clients: 4}
	_, b, err := clusterSetup(&plain)
	if err != nil || len(b) != 1 || b[0] != 4 || plain.Clients != 4 {
		t.Fatalf("one server: %v %v", b, err)
	}
	one := newTracker(1)
	one.setNodes(b, false)
	if one.nodeOf(3) != 0 || one.nodeRecv != nil {
		t.Fatalf("one server: client 3 on node %d, per-node counts %v", one.nodeOf(3), one.nodeRecv)
	}
	for _, bad := range [][]Node{
		{{Addr: "127.0.0.1:1", Clients: 0}, {Addr: "127.0.0.1:2", Clients: 5}}, // no publisher
		{{Addr: "127.0.0.1:1", Clients: 1}, {Addr: "localhost", Clients: 5}},
		{{Addr: "127.0.0.1:1", Clients: 1}, {Addr: "127.0.0.1:2", Clients: -1}},
	} {
		c := Config{Nodes: bad}
		if _, _, err := clusterSetup(&c); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
}

// TestClusterAccounting delivers one measured message to clients of both
// nodes: each node counts its own, and only node B's deliveries enter the
// remote latency.
func TestClusterAccounting(t *testing.T) {
	tr := newTracker(1)
	tr.setNodes([]int{2, 5}, true)
	tr.ring[0].Store(5)
	tr.to.Store(1)
	now := time.Now()
	for id := range 5 {
		tr.OnPacket(&wsclient.Conn{ID: id}, []byte(`2["broadcast",{"t":0,"p":"0xx"}]`), now)
	}
	if a, b := tr.nodeRecv[0].Load(), tr.nodeRecv[1].Load(); a != 2 || b != 3 {
		t.Fatalf("node A %d, node B %d; want 2 and 3", a, b)
	}
	if n, all := tr.remoteLat.Count(), tr.lat.Count(); n != 3 || all != 5 {
		t.Fatalf("remote latencies %d, all %d; want 3 and 5", n, all)
	}

	r := &runner{cfg: Config{Nodes: []Node{{Addr: "a", PID: 1, Clients: 2}, {Addr: "b", PID: 2, Clients: 3}}}, t: tr}
	res := &Result{Sent: 4}
	before := []procstat.Sample{{CPU: time.Second}, {CPU: 2 * time.Second}}
	after := []procstat.Sample{{CPU: time.Second + 8*time.Millisecond}, {CPU: 2*time.Second + 20*time.Millisecond, RSSKiB: 9}}
	r.clusterFigures(res, before, after, 2*time.Second)
	if len(res.Nodes) != 2 || res.Nodes[0].CPUPerMsgUs != 2000 || res.Nodes[1].CPUPerMsgUs != 5000 || res.Nodes[1].RSSKiB != 9 {
		t.Fatalf("nodes %+v", res.Nodes)
	}
	if res.Nodes[1].PerSec != 1.5 || res.Remote == nil || res.Remote.Received != 3 || res.Remote.PerSec != 1.5 {
		t.Fatalf("remote %+v, node B %+v", res.Remote, res.Nodes[1])
	}
	// Redis counted fewer messages than were sent in the window (the
	// publisher's node lagging): per-message figures divide by its count.
	lag := &Result{Sent: 4, Redis: &RedisResult{Published: 2}}
	r.clusterFigures(lag, before, after, 2*time.Second)
	if lag.Nodes[1].CPUPerMsgUs != 10000 {
		t.Fatalf("node B per published message: %v µs, want 10000", lag.Nodes[1].CPUPerMsgUs)
	}
	tr.resetNodes()
	if tr.nodeRecv[1].Load() != 0 || tr.remoteLat.Count() != 0 {
		t.Fatal("resetNodes left counts")
	}
}
