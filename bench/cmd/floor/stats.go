package main

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"
)

// loopStats summarises write loops.
type loopStats struct {
	Broadcasts int
	Writes     int // recipients summed over the broadcasts
	Blocked    int // writes that were buffered (EAGAIN, short, or queued)
	Mean, P50  time.Duration
	P99, Max   time.Duration
	PerWrite   time.Duration // loop time over writes
}

func summarize(durs []time.Duration, writes, blocked int) loopStats {
	st := loopStats{Broadcasts: len(durs), Writes: writes, Blocked: blocked}
	if len(durs) == 0 {
		return st
	}
	sorted := slices.Clone(durs)
	slices.Sort(sorted)
	var sum time.Duration
	for _, d := range sorted {
		sum += d
	}
	st.Mean = sum / time.Duration(len(sorted))
	st.P50 = quantile(sorted, 0.50)
	st.P99 = quantile(sorted, 0.99)
	st.Max = sorted[len(sorted)-1]
	if writes > 0 {
		st.PerWrite = sum / time.Duration(writes)
	}
	return st
}

// quantile returns the nearest-rank q-quantile of sorted values.
func quantile(sorted []time.Duration, q float64) time.Duration {
	i := int(q*float64(len(sorted))+0.999999) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

func (st loopStats) String() string {
	us := func(d time.Duration) string { return strconv.FormatFloat(float64(d)/1e3, 'f', 1, 64) }
	return fmt.Sprintf("broadcasts=%d writes=%d loop_us mean=%s p50=%s p99=%s max=%s us_per_write=%.2f blocked=%d",
		st.Broadcasts, st.Writes, us(st.Mean), us(st.P50), us(st.P99), us(st.Max),
		float64(st.PerWrite)/1e3, st.Blocked)
}

// group accumulates every loop to one recipient count, for the summary.
type group struct {
	durs    []time.Duration
	writes  int
	blocked int
}

// stats records every broadcast's write loop. Loop goroutine only.
type stats struct {
	trace    *bufio.Writer // one CSV line per broadcast, or nil
	nextLog  time.Time
	interval group
	by       map[int]*group // by recipient count
}

func (s *stats) init(now time.Time) {
	s.nextLog = now.Add(time.Second)
	s.by = map[int]*group{}
}

func (s *stats) record(start time.Time, d time.Duration, recipients, blocked int) {
	s.interval.durs = append(s.interval.durs, d)
	s.interval.writes += recipients
	s.interval.blocked += blocked
	g := s.by[recipients]
	if g == nil {
		g = &group{}
		s.by[recipients] = g
	}
	g.durs = append(g.durs, d)
	g.writes += recipients
	g.blocked += blocked
	if s.trace != nil {
		b := s.trace.AvailableBuffer()
		b = strconv.AppendInt(b, start.UnixNano(), 10)
		b = strconv.AppendInt(append(b, ','), int64(d), 10)
		b = strconv.AppendInt(append(b, ','), int64(recipients), 10)
		b = strconv.AppendInt(append(b, ','), int64(blocked), 10)
		s.trace.Write(append(b, '\n'))
	}
}

// tick logs the last second's loops, if any, once a second.
func (s *stats) tick(now time.Time, w io.Writer) {
	if now.Before(s.nextLog) {
		return
	}
	s.nextLog = now.Add(time.Second)
	if len(s.interval.durs) == 0 {
		return
	}
	st := summarize(s.interval.durs, s.interval.writes, s.interval.blocked)
	fmt.Fprintf(w, "floor: %s last 1s: %s\n", now.Format("15:04:05"), st)
	s.interval.durs = s.interval.durs[:0]
	s.interval.writes, s.interval.blocked = 0, 0
	if s.trace != nil {
		s.trace.Flush()
	}
}

// summary prints one line per recipient count, largest first.
func (s *stats) summary(w io.Writer) {
	keys := make([]int, 0, len(s.by))
	for k := range s.by {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	slices.Reverse(keys)
	if len(keys) == 0 {
		fmt.Fprintln(w, "floor: summary: no broadcasts")
	}
	for _, k := range keys {
		g := s.by[k]
		fmt.Fprintf(w, "floor: summary recipients=%d %s\n", k, summarize(g.durs, g.writes, g.blocked))
	}
}
