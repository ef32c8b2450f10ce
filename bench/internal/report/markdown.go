package report

import (
	"fmt"
	"strings"

	"github.com/sio-fast/sio-fast/bench/internal/load"
)

// Baseline is the peer the ratios are computed for.
const Baseline = "sio-fast"

// Floor is the syscall-floor peer (bench/cmd/floor).
const Floor = "floor"

// FloorBatch is the batching-limit peer (bench/cmd/floor -batch).
const FloorBatch = "floor-batch"

// floorBatchNote says what the floor-batch peer is.
const floorBatchNote = "floor-batch: the same, frames appended to a per-connection buffer, 1 write(2) per connection per epoll turn = the batching limit"

// floorNote says what the floor peer is, in the heading of its tables.
const floorNote = "floor: 1 thread, the pre-encoded frame written with 1 write(2) per connection per broadcast, no batching = the syscall floor"

// metric is one column of the tables and charts.
type metric struct {
	Name   string
	Unit   string
	Higher bool // higher is better
	Get    func(load.Result) float64
	NoRate bool // no ratio: not a figure of the server
}

// headline returns the metrics shown for a scenario (a Result.Scenario).
func headline(scenario string) []metric {
	if isIdle(scenario) {
		return []metric{
			{Name: "KiB/conn", Unit: "KiB", Get: func(r load.Result) float64 { return r.KiBPerConn }},
			{Name: "RSS", Unit: "MiB", Get: func(r load.Result) float64 { return float64(r.RSSKiB) / 1024 }},
			{Name: "PSS", Unit: "MiB", Get: func(r load.Result) float64 { return float64(r.PSSKiB) / 1024 }},
			{Name: "conn/s", Higher: true, Get: func(r load.Result) float64 { return r.PerSec }},
			{Name: "handshake p50", Unit: "µs", Get: func(r load.Result) float64 { return r.P50 }},
			{Name: "handshake p99", Unit: "µs", Get: func(r load.Result) float64 { return r.P99 }},
			{Name: "CPU/1k conn", Unit: "ms", Get: func(r load.Result) float64 { return r.CPUPer1kConn }},
		}
	}
	per := "deliveries/s"
	if strings.HasPrefix(scenario, "echo") {
		per = "acks/s"
	}
	return []metric{
		{Name: per, Higher: true, Get: func(r load.Result) float64 { return r.PerSec }},
		{Name: "p50", Unit: "µs", Get: func(r load.Result) float64 { return r.P50 }},
		{Name: "p90", Unit: "µs", Get: func(r load.Result) float64 { return r.P90 }},
		{Name: "p99", Unit: "µs", Get: func(r load.Result) float64 { return r.P99 }},
		{Name: "p99.9", Unit: "µs", Get: func(r load.Result) float64 { return r.P999 }},
		{Name: "max", Unit: "µs", Get: func(r load.Result) float64 { return r.Max }},
		{Name: "lost", NoRate: true, Get: func(r load.Result) float64 { return float64(r.Lost) }},
		{Name: "server cores", Get: func(r load.Result) float64 { return r.ServerCores }},
		{Name: "CPU s/M deliveries", Get: func(r load.Result) float64 { return r.CPUsPerM }},
		{Name: "gen CPU/msg", Unit: "ns", NoRate: true, Get: func(r load.Result) float64 { return r.GenNsPerMsg }},
		{Name: "RSS", Unit: "MiB", Get: func(r load.Result) float64 { return float64(r.RSSKiB) / 1024 }},
	}
}

// isIdle reports whether scenario is idle over either transport ("idle",
// "idle-polling").
func isIdle(scenario string) bool { return strings.HasPrefix(scenario, "idle") }

// errorCell is the error column: the scenario's error and, when the
// generator received packets it could not parse, how many and the first.
func errorCell(r load.Result) string {
	if !r.UnparsableUnreported() {
		return r.Error
	}
	note := fmt.Sprintf("%d unparsable packets", r.Unparsable)
	if r.FirstUnparsable != "" {
		note += " (first: `" + r.FirstUnparsable + "`)"
	}
	if r.Error == "" {
		return note
	}
	return r.Error + "; " + note
}

// key identifies one table: a scenario at one client count and one rate,
// and for a cluster run the clients per node ("5000+5000").
type key struct {
	Scenario string
	Clients  int
	Offered  float64
	Split    string
}

func keyOf(r load.Result) key { return key{r.Scenario, r.Clients, r.Offered, split(r)} }

// metrics returns the columns of k's table.
func metrics(k key) []metric {
	if k.Split != "" {
		return clusterHeadline()
	}
	return headline(k.Scenario)
}

// group orders results by table (first-seen order), peers in result order.
func group(results []load.Result) (keys []key, by map[key][]load.Result) {
	by = map[key][]load.Result{}
	for _, r := range results {
		k := keyOf(r)
		if _, ok := by[k]; !ok {
			keys = append(keys, k)
		}
		by[k] = append(by[k], r)
	}
	return keys, by
}

// heading names a table: "fanout: 10000 clients, 10 msg/s offered".
func heading(k key, rs []load.Result) string {
	h := fmt.Sprintf("%s: %d clients", k.Scenario, k.Clients)
	if k.Split != "" {
		h += fmt.Sprintf(" on %d nodes (%s; the publisher on the first)", strings.Count(k.Split, "+")+1, k.Split)
	}
	switch {
	case isIdle(k.Scenario):
	case k.Offered > 0:
		h += fmt.Sprintf(", %g msg/s offered", k.Offered)
	default:
		h += ", as fast as absorbed"
	}
	if _, ok := find(rs, Floor); ok {
		h += " (" + floorNote + ")"
	}
	if _, ok := find(rs, FloorBatch); ok {
		h += " (" + floorBatchNote + ")"
	}
	return h
}

// Markdown renders the targets of the issue that the results answer, then
// one table per (scenario, clients, rate): a row per peer, then a row per
// peer with sio-fast's ratio to it ("×2.0" means twice as good, whichever
// direction is better).
func Markdown(results []load.Result, title string) string {
	var b strings.Builder
	if title != "" {
		fmt.Fprintf(&b, "# %s\n\n", title)
	}
	b.WriteString(Targets(results))
	keys, by := group(results)
	for _, k := range keys {
		rs := by[k]
		ms := metrics(k)
		fmt.Fprintf(&b, "### %s\n\n| peer |", heading(k, rs))
		for _, m := range ms {
			fmt.Fprintf(&b, " %s |", colName(m))
		}
		b.WriteString(" error |\n|---|")
		b.WriteString(strings.Repeat("---:|", len(ms)))
		b.WriteString("---|\n")
		for _, r := range rs {
			fmt.Fprintf(&b, "| %s |", r.Peer)
			for _, m := range ms {
				fmt.Fprintf(&b, " %s |", num(m.Get(r)))
			}
			fmt.Fprintf(&b, " %s |\n", strings.ReplaceAll(errorCell(r), "|", "/"))
		}
		if base, ok := find(rs, Baseline); ok {
			for _, r := range rs {
				if r.Peer == Baseline {
					continue
				}
				fmt.Fprintf(&b, "| *sio-fast vs %s* |", r.Peer)
				for _, m := range ms {
					if x, ok := ratio(m, base, r); ok && !m.NoRate {
						fmt.Fprintf(&b, " ×%.2f |", x)
					} else {
						b.WriteString(" |")
					}
				}
				b.WriteString(" |\n")
			}
		}
		b.WriteString(pairedRows(rs, ms))
		b.WriteString("\n")
		if f, ok := find(rs, Floor); ok && f.WriteLoop != nil && f.WriteLoop.Broadcasts > 0 {
			b.WriteString(loopLine(f.WriteLoop))
			if base, ok := find(rs, Baseline); ok && base.P99 > 0 && f.WriteLoop.P50Us > 0 {
				fmt.Fprintf(&b, " sio-fast's delivery p99 (%s) is ×%.2f the floor's write-loop p50, ×%.2f its p99.",
					dur(base.P99), base.P99/f.WriteLoop.P50Us, base.P99/f.WriteLoop.P99Us)
			}
			b.WriteString("\n\n")
		}
	}
	return b.String()
}

// loopLine describes the floor's own timing of its write loops.
func loopLine(l *load.LoopStats) string {
	return fmt.Sprintf("Floor's write loop (%d broadcasts, %s writes each): mean %s, p50 %s, p99 %s, max %s; %.2f µs per write(2); %d writes would block.",
		l.Broadcasts, num(float64(l.Writes)/float64(l.Broadcasts)), dur(l.MeanUs), dur(l.P50Us), dur(l.P99Us), dur(l.MaxUs),
		l.UsPerWrite, l.Blocked)
}

// ratio is how many times better base is than peer on m.
func ratio(m metric, base, peer load.Result) (float64, bool) {
	a, p := m.Get(base), m.Get(peer)
	if a <= 0 || p <= 0 {
		return 0, false
	}
	if m.Higher {
		return a / p, true
	}
	return p / a, true
}

func find(rs []load.Result, peer string) (load.Result, bool) {
	for _, r := range rs {
		if r.Peer == peer {
			return r, true
		}
	}
	return load.Result{}, false
}

func colName(m metric) string {
	if m.Unit == "" {
		return m.Name
	}
	return m.Name + " (" + m.Unit + ")"
}

// dur renders microseconds readably: "233 µs", "3.54 ms", "1.52 s".
func dur(us float64) string {
	switch {
	case us < 1000:
		return num(us) + " µs"
	case us < 1e6:
		return num(us/1e3) + " ms"
	}
	return num(us/1e6) + " s"
}

func num(v float64) string {
	switch {
	case v == 0:
		return "0"
	case v >= 100:
		return fmt.Sprintf("%.0f", v)
	case v >= 10:
		return fmt.Sprintf("%.1f", v)
	}
	return fmt.Sprintf("%.2f", v)
}
