package main

import (
	"bufio"
	"bytes"
	"os"
	"slices"
	"strconv"

	"github.com/sio-fast/sio-fast/bench/internal/load"
	"github.com/sio-fast/sio-fast/bench/internal/report"
)

// loopRecord is one line of the floor's -trace CSV:
// start_unix_ns,loop_ns,recipients,blocked (see bench/cmd/floor).
type loopRecord struct {
	start, dur          int64
	recipients, blocked int
}

func readTrace(path string) ([]loopRecord, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []loopRecord
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := bytes.Split(sc.Bytes(), []byte(","))
		if len(fs) != 4 {
			continue
		}
		var v [4]int64
		ok := true
		for i, x := range fs {
			n, err := strconv.ParseInt(string(x), 10, 64)
			v[i], ok = n, ok && err == nil
		}
		if ok {
			out = append(out, loopRecord{v[0], v[1], int(v[2]), int(v[3])})
		}
	}
	return out, sc.Err()
}

// loopStats summarises the write loops that started in [from, to].
func loopStats(recs []loopRecord, from, to int64) *load.LoopStats {
	var durs []int64
	st := &load.LoopStats{}
	var sum int64
	for _, r := range recs {
		if r.start < from || r.start > to {
			continue
		}
		durs = append(durs, r.dur)
		sum += r.dur
		st.Writes += r.recipients
		st.Blocked += r.blocked
	}
	if len(durs) == 0 {
		return st
	}
	slices.Sort(durs)
	us := func(ns int64) float64 { return float64(ns) / 1e3 }
	rank := func(q float64) int64 { // nearest rank, as the floor's own log
		i := int(q*float64(len(durs))+0.999999) - 1
		return durs[min(max(i, 0), len(durs)-1)]
	}
	st.Broadcasts = len(durs)
	st.MeanUs = us(sum) / float64(len(durs))
	st.P50Us, st.P99Us, st.MaxUs = us(rank(0.5)), us(rank(0.99)), us(durs[len(durs)-1])
	if st.Writes > 0 {
		st.UsPerWrite = us(sum) / float64(st.Writes)
	}
	return st
}

// addFloorLoops fills WriteLoop of the floor's results from its trace, cut
// to each result's measured window.
func addFloorLoops(rs []load.Result, tracePath string) error {
	var recs []loopRecord
	var err error
	for i := range rs {
		r := &rs[i]
		if r.Peer != report.Floor || r.Start == 0 || r.Scenario == "idle" {
			continue
		}
		if recs == nil {
			if recs, err = readTrace(tracePath); err != nil {
				return err
			}
		}
		if st := loopStats(recs, r.Start, r.End); st.Broadcasts > 0 {
			r.WriteLoop = st
		}
	}
	return nil
}
