package report

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/sio-fast/sio-fast/bench/internal/load"
)

// Repetitions. Scripts that run every server several times in turn
// (bench/polling.sh -reps N, bench/capacity.sh) label the runs "sio-fast",
// "sio-fast-2", "node", "node-2"...: the first repetition keeps the plain
// name. One repetition against another is noise on a shared machine; what a
// claim rests on is the ratio within each repetition (the two servers ran
// minutes apart, on the same machine state) and its spread. pairedRows adds
// one row per peer with the median of those paired ratios and their range.

// repOf splits a peer label into its base name and repetition (1 when the
// label has no numeric suffix).
func repOf(peer string) (string, int) {
	i := strings.LastIndexByte(peer, '-')
	if i <= 0 {
		return peer, 1
	}
	n, err := strconv.Atoi(peer[i+1:])
	if err != nil || n < 2 {
		return peer, 1
	}
	return peer[:i], n
}

// pairedRows renders, for each peer other than the baseline that ran in at
// least two repetitions alongside it, a row with each metric's median
// ratio over the repetitions and, in brackets, the lowest and highest.
// It returns "" when no peer was repeated.
func pairedRows(rs []load.Result, ms []metric) string {
	base := map[int]load.Result{}
	others := map[string]map[int]load.Result{}
	var names []string
	for _, r := range rs {
		name, rep := repOf(r.Peer)
		if name == Baseline {
			base[rep] = r
			continue
		}
		if others[name] == nil {
			others[name] = map[int]load.Result{}
			names = append(names, name)
		}
		others[name][rep] = r
	}
	var b strings.Builder
	for _, name := range names {
		var reps []int
		for rep := range others[name] {
			if _, ok := base[rep]; ok {
				reps = append(reps, rep)
			}
		}
		if len(reps) < 2 {
			continue
		}
		fmt.Fprintf(&b, "| *sio-fast vs %s, median of %d paired repetitions [range]* |", name, len(reps))
		for _, m := range ms {
			b.WriteString(pairedCell(m, reps, base, others[name]))
		}
		b.WriteString(" |\n")
	}
	return b.String()
}

// pairedCell is one metric's median paired ratio and its range.
func pairedCell(m metric, reps []int, base, peer map[int]load.Result) string {
	if m.NoRate {
		return " |"
	}
	var xs []float64
	for _, rep := range reps {
		if x, ok := ratio(m, base[rep], peer[rep]); ok {
			xs = append(xs, x)
		}
	}
	if len(xs) == 0 {
		return " |"
	}
	slices.Sort(xs)
	return fmt.Sprintf(" ×%.2f [%.2f–%.2f] |", median(xs), xs[0], xs[len(xs)-1])
}

// median of sorted xs.
func median(xs []float64) float64 {
	n := len(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}
