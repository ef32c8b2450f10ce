package report

import (
	"strings"
	"testing"

	"github.com/sio-fast/sio-fast/bench/internal/load"
)

func sample() []load.Result {
	return []load.Result{
		{Peer: "sio-fast", Scenario: "idle", Clients: 10, KiBPerConn: 2, PerSec: 1000},
		{Peer: "sio-fast", Scenario: "fanout", Clients: 10, Mode: "rate", Offered: 5, PerSec: 900, P99: 100, CPUsPerM: 2},
		{Peer: "sio-fast", Scenario: "fanout", Clients: 20, Mode: "rate", Offered: 5, PerSec: 1800, P99: 200},
		{Peer: "sio-fast", Scenario: "fanout-max", Clients: 10, Mode: "max", PerSec: 9000, P99: 100},
		{Peer: "node", Scenario: "idle", Clients: 10, KiBPerConn: 8, PerSec: 250, Unparsable: 2, FirstUnparsable: `2["users","a|b"]`},
		{Peer: "node", Scenario: "fanout", Clients: 10, Mode: "rate", Offered: 5, PerSec: 300, P99: 400, CPUsPerM: 5, Error: "lost 1"},
		{Peer: "node", Scenario: "fanout", Clients: 20, Mode: "rate", Offered: 5, PerSec: 600, P99: 800, Unparsable: 4},
		{Peer: "floor", Scenario: "fanout", Clients: 10, Mode: "rate", Offered: 5, PerSec: 900, P99: 50,
			WriteLoop: &load.LoopStats{Broadcasts: 25, Writes: 250, MeanUs: 40, P50Us: 40, P99Us: 80, MaxUs: 90, UsPerWrite: 4}},
	}
}

func TestMarkdownGroupsAndRatios(t *testing.T) {
	md := Markdown(sample(), "T")
	for _, want := range []string{"# T",
		"### idle: 10 clients\n",
		" 2 unparsable packets (first: `2[\"users\",\"a/b\"]`) |\n",
		"### fanout: 10 clients, 5 msg/s offered (floor: 1 thread, ",
		"### fanout: 20 clients, 5 msg/s offered\n",
		"### fanout-max: 10 clients, as fast as absorbed\n",
		"| node | 8.00 |", "lost 1", " 4 unparsable packets |\n",
		"| *sio-fast vs node* | ×4.00 |",  // idle KiB/conn
		"| *sio-fast vs node* | ×3.00 | ", // fanout deliveries/s
		"| *sio-fast vs floor* | ×1.00 |", // floor row ratios
		"CPU s/M deliveries",              // column
		"Floor's write loop (25 broadcasts, 10.0 writes each): mean 40.0 µs, p50 40.0 µs, p99 80.0 µs", //
		"×2.50 the floor's write-loop p50, ×1.25 its p99",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("missing %q in\n%s", want, md)
		}
	}
	// Tables in first-seen order: idle, fanout/10, fanout/20, fanout-max.
	i1, i2, i3 := strings.Index(md, "### fanout: 10 "), strings.Index(md, "### fanout: 20 "), strings.Index(md, "### fanout-max")
	if !(i1 < i2 && i2 < i3) {
		t.Errorf("table order %d %d %d", i1, i2, i3)
	}
	// The 10-client fanout table holds three peers and two ratio rows.
	tbl := md[i1:i2]
	if strings.Count(tbl, "\n| ") != 6 {
		t.Errorf("fanout/10 table:\n%s", tbl)
	}
}

func TestTargets(t *testing.T) {
	loop := &load.LoopStats{Broadcasts: 50, Writes: 500000, P50Us: 40000, P99Us: 50000}
	rs := []load.Result{
		{Peer: "sio-fast", Scenario: "fanout", Clients: 10000, Offered: 10, P99: 48000},
		{Peer: "floor", Scenario: "fanout", Clients: 10000, Offered: 10, P99: 45000, WriteLoop: loop},
		{Peer: "sio-fast", Scenario: "fanout", Clients: 1000, Offered: 100, P99: 12000},
		{Peer: "sio-fast", Scenario: "fanout-max", Clients: 10000, PerSec: 600000},
		{Peer: "node", Scenario: "fanout-max", Clients: 10000, PerSec: 40000},
		{Peer: "floor", Scenario: "fanout-max", Clients: 10000, PerSec: 200000},
		{Peer: "floor-batch", Scenario: "fanout-max", Clients: 10000, PerSec: 800000},
		{Peer: "sio-fast", Scenario: "echo-max", Clients: 1000, PerSec: 100000, ServerCores: 0.9},
		{Peer: "node", Scenario: "echo-max", Clients: 1000, PerSec: 20000},
		{Peer: "sio-fast", Scenario: "echo", Clients: 1000, Offered: 10000, P99: 1500},
	}
	got := Targets(rs)
	for _, want := range []string{
		"sio-fast p99 48.0 ms = ×1.20 the floor's time to write one broadcast to all (write-loop p50 40.0 ms; ×0.96 its p99 50.0 ms); target ≤ ×1.3: **met**",
		"fan-out to 1,000 at 100/s: sio-fast p99 12.0 ms; target < 10 ms: **not met**",
		"sio-fast 600000 deliveries/s, ×15.00 node (40000), ×3.00 floor (200000), ×0.75 floor-batch (800000); target ≥ ×0.9 floor-batch (issue 16): **not met**",
		"sio-fast 100000 acks/s (0.90 server cores) = ×5.00 Node (20000); target ×4: **met**",
		"at 10,000/s: sio-fast p99 1.50 ms; target < 2 ms: **met**",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
	if Targets(sample()) != "" {
		t.Error("targets from a run with other client counts")
	}
}

func TestHTMLSelfContained(t *testing.T) {
	h := HTML(sample(), "<T>")
	if !strings.Contains(h, "<svg") || !strings.Contains(h, "&lt;T&gt;") || !strings.Contains(h, "Floor&#39;s write loop") {
		t.Fatal("no chart, unescaped title or no floor loop line")
	}
	if strings.Contains(h, "src=") || strings.Contains(h, "href=") {
		t.Fatal("external asset referenced")
	}
}

// TestClusterTable: cluster runs get their own tables, keyed by the split,
// with the remote deliveries, each side's CPU and Redis per message, and
// sio-fast's ratios to the other peer.
func TestClusterTable(t *testing.T) {
	nodes := func(a, b int, cpuA, cpuB float64) []load.NodeResult {
		return []load.NodeResult{{Clients: a, CPUPerMsgUs: cpuA}, {Clients: b, CPUPerMsgUs: cpuB}}
	}
	rs := []load.Result{
		{Peer: "sio-fast", Scenario: "fanout", Clients: 10, Offered: 2, PerSec: 20, Nodes: nodes(5, 5, 100, 80),
			Remote: &load.Deliveries{PerSec: 10, P50: 50, P99: 200}, Redis: &load.RedisResult{InPerMsg: 181, OutPerMsg: 406, CPUPerMsgUs: 10}},
		{Peer: "node", Scenario: "fanout", Clients: 10, Offered: 2, PerSec: 20, Nodes: nodes(5, 5, 400, 240),
			Remote: &load.Deliveries{PerSec: 10, P50: 500, P99: 1000}, Redis: &load.RedisResult{InPerMsg: 181, OutPerMsg: 406, CPUPerMsgUs: 10}},
		{Peer: "sio-fast", Scenario: "fanout", Clients: 1, Offered: 1000, PerSec: 1000, Nodes: nodes(1, 0, 20, 3)},
		{Peer: "sio-fast", Scenario: "fanout", Clients: 10, Offered: 2, PerSec: 19},
	}
	md := Markdown(rs, "")
	for _, want := range []string{
		"### fanout: 10 clients on 2 nodes (5+5; the publisher on the first), 2 msg/s offered\n",
		"### fanout: 1 clients on 2 nodes (1+0; the publisher on the first), 1000 msg/s offered\n",
		"### fanout: 10 clients, 2 msg/s offered\n", // the plain run stays apart
		"| remote deliveries/s | remote p50 (µs) | remote p99 (µs) | lost | publishing node CPU/msg (µs) | receiving node CPU/msg (µs) | Redis in/msg (B) |",
		"| sio-fast | 20.0 | 10.0 | 50.0 | 200 | 0 | 100 | 80.0 | 181 | 406 | 10.0 |",
		"| *sio-fast vs node* | ×1.00 | ×1.00 | ×10.00 | ×5.00 | | ×4.00 | ×3.00 | ×1.00 | ×1.00 | ×1.00 |",
		"| sio-fast | 1000 | 0 | 0 | 0 | 0 | 20.0 | 3.00 | 0 | 0 | 0 |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("missing %q in\n%s", want, md)
		}
	}
}

// Repeated runs ("node", "node-2", "node-3") get one row of paired ratios:
// each repetition's sio-fast against the same repetition's peer.
func TestMarkdownPairedRepetitions(t *testing.T) {
	var rs []load.Result
	for i, cpu := range [][2]float64{{2, 8}, {3, 9}, {2, 10}} {
		sfx := ""
		if i > 0 {
			sfx = "-" + string(rune('1'+i))
		}
		rs = append(rs,
			load.Result{Peer: "sio-fast" + sfx, Scenario: "fanout", Clients: 10, Mode: "rate", Offered: 1, PerSec: 10, CPUsPerM: cpu[0]},
			load.Result{Peer: "node" + sfx, Scenario: "fanout", Clients: 10, Mode: "rate", Offered: 1, PerSec: 10, CPUsPerM: cpu[1]})
	}
	// A peer run once and a label ending in a non-number get no such row.
	rs = append(rs, load.Result{Peer: "floor-batch", Scenario: "fanout", Clients: 10, Mode: "rate", Offered: 1, PerSec: 10})
	md := Markdown(rs, "")
	// CPU ratios per repetition: 8/2=4, 9/3=3, 10/2=5: median 4, range 3–5.
	want := "| *sio-fast vs node, median of 3 paired repetitions [range]* | ×1.00 [1.00–1.00] |"
	if !strings.Contains(md, want) || !strings.Contains(md, " ×4.00 [3.00–5.00] |") {
		t.Errorf("missing the paired row in\n%s", md)
	}
	if strings.Count(md, "paired repetitions") != 1 {
		t.Errorf("want one paired row:\n%s", md)
	}
	for peer, want := range map[string]string{"node-2": "node", "node-12": "node", "floor-batch": "floor-batch", "node-1": "node-1", "x-": "x-"} {
		if got, _ := repOf(peer); got != want {
			t.Errorf("repOf(%q) = %q, want %q", peer, got, want)
		}
	}
}
