package report

import (
	"fmt"
	"strings"

	"github.com/sio-fast/sio-fast/bench/internal/load"
)

// Targets renders the targets that the results can answer, one
// line each, with the figures they are read from; "" if none applies (a
// -quick run uses other client counts).
func Targets(results []load.Result) string {
	_, by := group(results)
	get := func(scenario string, clients int, offered float64, peer string) (load.Result, bool) {
		r, ok := find(by[key{scenario, clients, offered, ""}], peer)
		return r, ok && r.Error == ""
	}
	var lines []string
	add := func(f string, a ...any) { lines = append(lines, "- "+fmt.Sprintf(f, a...)) }
	verdict := func(ok bool) string {
		if ok {
			return "**met**"
		}
		return "**not met**"
	}

	if s, ok := get("fanout", 10000, 10, Baseline); ok {
		if f, ok := get("fanout", 10000, 10, Floor); ok && f.WriteLoop != nil && f.WriteLoop.P50Us > 0 {
			x := s.P99 / f.WriteLoop.P50Us
			add("fan-out to 10,000 at 10/s: sio-fast p99 %s = ×%.2f the floor's time to write one broadcast to all (write-loop p50 %s; ×%.2f its p99 %s); target ≤ ×1.3: %s",
				dur(s.P99), x, dur(f.WriteLoop.P50Us), s.P99/f.WriteLoop.P99Us, dur(f.WriteLoop.P99Us), verdict(x <= 1.3))
		}
	}
	if s, ok := get("fanout", 1000, 100, Baseline); ok {
		add("fan-out to 1,000 at 100/s: sio-fast p99 %s; target < 10 ms: %s", dur(s.P99), verdict(s.P99 < 10000))
	}
	if s, ok := get("fanout-max", 10000, 0, Baseline); ok {
		line := fmt.Sprintf("fan-out-max to 10,000 (32 in flight): sio-fast %s deliveries/s", num(s.PerSec))
		for _, p := range []string{"node", "zishang520", Floor} {
			if r, ok := get("fanout-max", 10000, 0, p); ok && r.PerSec > 0 {
				line += fmt.Sprintf(", ×%.2f %s (%s)", s.PerSec/r.PerSec, p, num(r.PerSec))
			}
		}
		if r, ok := get("fanout-max", 10000, 0, FloorBatch); ok && r.PerSec > 0 {
			x := s.PerSec / r.PerSec
			line += fmt.Sprintf(", ×%.2f %s (%s); target ≥ ×0.9 floor-batch (issue 16): %s", x, FloorBatch, num(r.PerSec), verdict(x >= 0.9))
		}
		add("%s", line)
	}
	if s, ok := get("echo-max", 1000, 0, Baseline); ok {
		line := fmt.Sprintf("echo with acks, 1,000 clients, max: sio-fast %s acks/s (%.2f server cores)", num(s.PerSec), s.ServerCores)
		if n, ok := get("echo-max", 1000, 0, "node"); ok && n.PerSec > 0 {
			x := s.PerSec / n.PerSec
			line += fmt.Sprintf(" = ×%.2f Node (%s); target ×4: %s", x, num(n.PerSec), verdict(x >= 4))
		}
		if f, ok := get("echo-max", 1000, 0, Floor); ok {
			line += fmt.Sprintf("; the floor, which only answers, reached %s acks/s: about what this generator can drive", num(f.PerSec))
		}
		add("%s", line)
	}
	if s, ok := get("echo", 1000, 10000, Baseline); ok {
		add("echo with acks, 1,000 clients at 10,000/s: sio-fast p99 %s; target < 2 ms: %s", dur(s.P99), verdict(s.P99 < 2000))
	}
	if len(lines) == 0 {
		return ""
	}
	return "## Targets (issue 5)\n\n" + strings.Join(lines, "\n") + "\n\n"
}
