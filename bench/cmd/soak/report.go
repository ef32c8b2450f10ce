package main

import (
	"fmt"
	"io"
	"time"
)

// result is what a soak run reports.
type result struct {
	cfg             config
	samples         []sample
	baseFDs, endFDs map[string]int // descriptors by kind
	baseG, endG     int
	f               *fleet
}

// slope fits RSS against time by least squares over the samples after the
// warm-up and returns it in percent of their mean RSS per minute.
func slope(samples []sample, warmup time.Duration) (pctPerMin float64, n int) {
	var sx, sy, sxx, sxy float64
	for _, s := range samples {
		if s.at < warmup {
			continue
		}
		x, y := s.at.Minutes(), float64(s.rssKiB)
		sx, sy, sxx, sxy = sx+x, sy+y, sxx+x*x, sxy+x*y
		n++
	}
	if n < 2 {
		return 0, n
	}
	fn := float64(n)
	den := fn*sxx - sx*sx
	if den == 0 || sy == 0 {
		return 0, n
	}
	b := (fn*sxy - sx*sy) / den
	return 100 * b / (sy / fn), n
}

func (r result) ok() bool {
	f := r.f
	return f.lost.Load() == 0 && f.dup.Load() == 0 && f.failed.Load() == 0 && f.unexpected.Load() == 0 &&
		r.endFDs["socket"] <= r.baseFDs["socket"]
}

func (r result) print(w io.Writer) {
	f, c := r.f, r.cfg
	sl, n := slope(r.samples, c.warmup)
	fmt.Fprintf(w, "\n## soak: %d clients, %v, %d connects/s, %d disconnects/s (half abrupt), %g broadcasts/s\n\n",
		c.clients, c.duration, c.connects, c.disconnects, c.broadcasts)
	fmt.Fprintf(w, "| broadcasts sent | deliveries | lost | duplicated | failed connects | unexpected closes |\n|---:|---:|---:|---:|---:|---:|\n")
	fmt.Fprintf(w, "| %d | %d | %d | %d | %d | %d |\n\n", f.sent.Load(), f.delivered.Load(), f.lost.Load(), f.dup.Load(), f.failed.Load(), f.unexpected.Load())
	fmt.Fprintf(w, "RSS every %v (KiB):", c.sample)
	for _, s := range r.samples {
		fmt.Fprintf(w, " %d", s.rssKiB)
	}
	fmt.Fprintf(w, "\n\nRSS slope after %v (%d samples): %+.2f%% per minute\n", c.warmup, n, sl)
	fmt.Fprintf(w, "server descriptors: %v before, %v after the clients left (the event loops' epoll and eventfd descriptors appear with the first connection); goroutines: %d before, %d after\n", r.baseFDs, r.endFDs, r.baseG, r.endG)
	verdict := "PASS"
	if !r.ok() {
		verdict = "FAIL"
	}
	fmt.Fprintf(w, "result: %s\n", verdict)
}
