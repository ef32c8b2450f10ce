package report

import (
	"fmt"
	"strings"

	"github.com/sio-fast/sio-fast/bench/internal/load"
)

// Baseline is the peer the ratios are computed for.
const Baseline = "sio-fast"

// metric is one column of the tables and charts.
type metric struct {
	Name   string
	Unit   string
	Higher bool // higher is better
	Get    func(load.Result) float64
}

// headline returns the metrics shown for a scenario.
func headline(scenario string) []metric {
	cores := metric{"server cores", "", false, func(r load.Result) float64 { return r.ServerCores }}
	gen := metric{"gen CPU/msg", "ns", false, func(r load.Result) float64 { return r.GenNsPerMsg }}
	if scenario == "idle" {
		return []metric{
			{"KiB/conn", "KiB", false, func(r load.Result) float64 { return r.KiBPerConn }},
			{"RSS", "MiB", false, func(r load.Result) float64 { return float64(r.RSSKiB) / 1024 }},
			{"PSS", "MiB", false, func(r load.Result) float64 { return float64(r.PSSKiB) / 1024 }},
			{"conn/s", "", true, func(r load.Result) float64 { return r.PerSec }},
			{"handshake p50", "µs", false, func(r load.Result) float64 { return r.P50 }},
			{"handshake p99", "µs", false, func(r load.Result) float64 { return r.P99 }},
			{"CPU/1k conn", "ms", false, func(r load.Result) float64 { return r.CPUPer1kConn }},
		}
	}
	per := "deliveries/s"
	if scenario == "echo" {
		per = "acks/s"
	}
	return []metric{
		{per, "", true, func(r load.Result) float64 { return r.PerSec }},
		{"p50", "µs", false, func(r load.Result) float64 { return r.P50 }},
		{"p90", "µs", false, func(r load.Result) float64 { return r.P90 }},
		{"p99", "µs", false, func(r load.Result) float64 { return r.P99 }},
		{"p99.9", "µs", false, func(r load.Result) float64 { return r.P999 }},
		{"max", "µs", false, func(r load.Result) float64 { return r.Max }},
		{"lost", "", false, func(r load.Result) float64 { return float64(r.Lost) }},
		cores, gen,
		{"RSS", "MiB", false, func(r load.Result) float64 { return float64(r.RSSKiB) / 1024 }},
	}
}

// group orders results by scenario (first-seen order) and peer.
func group(results []load.Result) (scenarios []string, by map[string][]load.Result) {
	by = map[string][]load.Result{}
	for _, r := range results {
		if _, ok := by[r.Scenario]; !ok {
			scenarios = append(scenarios, r.Scenario)
		}
		by[r.Scenario] = append(by[r.Scenario], r)
	}
	return scenarios, by
}

// Markdown renders one table per scenario, then sio-fast's ratio to each
// peer ("×2.0" means twice as good, whichever direction is better).
func Markdown(results []load.Result, title string) string {
	var b strings.Builder
	if title != "" {
		fmt.Fprintf(&b, "# %s\n\n", title)
	}
	scenarios, by := group(results)
	for _, sc := range scenarios {
		rs := by[sc]
		ms := headline(sc)
		fmt.Fprintf(&b, "### %s (%d clients%s)\n\n| peer |", sc, rs[0].Clients, modeNote(rs[0]))
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
			fmt.Fprintf(&b, " %s |\n", r.Error)
		}
		b.WriteString("\n")
	}
	b.WriteString(ratios(scenarios, by))
	return b.String()
}

// ratios renders sio-fast's advantage over each peer on every headline
// metric except loss.
func ratios(scenarios []string, by map[string][]load.Result) string {
	var b strings.Builder
	header := false
	for _, sc := range scenarios {
		base, ok := find(by[sc], Baseline)
		if !ok {
			continue
		}
		for _, r := range by[sc] {
			if r.Peer == Baseline {
				continue
			}
			if !header {
				b.WriteString("### sio-fast ratio to each peer (×N = N times better)\n\n| scenario | peer | ratios |\n|---|---|---|\n")
				header = true
			}
			var parts []string
			for _, m := range headline(sc) {
				if m.Name == "lost" || m.Name == "gen CPU/msg" {
					continue
				}
				if x, ok := ratio(m, base, r); ok {
					parts = append(parts, fmt.Sprintf("%s ×%.2f", m.Name, x))
				}
			}
			fmt.Fprintf(&b, "| %s | %s | %s |\n", sc, r.Peer, strings.Join(parts, ", "))
		}
	}
	if header {
		b.WriteString("\n")
	}
	return b.String()
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

func modeNote(r load.Result) string {
	switch r.Mode {
	case "rate":
		return fmt.Sprintf(", %.0f msg/s offered", r.Offered)
	case "max":
		return ", as fast as absorbed"
	}
	return ""
}

func colName(m metric) string {
	if m.Unit == "" {
		return m.Name
	}
	return m.Name + " (" + m.Unit + ")"
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
