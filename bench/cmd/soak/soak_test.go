package main

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/sio-fast/sio-fast/bench/internal/wsclient"
)

// The slope leaves the warm-up out and is in percent of the mean per
// minute.
func TestSlope(t *testing.T) {
	var s []sample
	for i := 0; i <= 10; i++ {
		rss := 1000 + 10*i // +10 KiB per minute after the warm-up
		if i < 2 {
			rss = 100 // warm-up, ignored
		}
		s = append(s, sample{at: time.Duration(i) * time.Minute, rssKiB: rss})
	}
	got, n := slope(s, 2*time.Minute)
	if want := 100 * 10.0 / 1060; n != 9 || math.Abs(got-want) > 1e-9 {
		t.Fatalf("slope %v over %d samples, want %v over 9", got, n, want)
	}
}

// A client must receive each broadcast from the first one after it was
// ready to the last one before it began to leave, once: a gap is loss, a
// repeat a duplicate, and what arrives after its leave point is ignored.
func TestAccounting(t *testing.T) {
	f := newFleet(nil)
	c := &wsclient.Conn{ID: 7}
	f.byID[7] = &client{conn: c}
	f.pending.Add(1)
	f.sent.Store(4)
	f.OnReady(c, time.Time{}) // must receive 5 onwards
	deliver := func(seq int) {
		f.OnPacket(c, fmt.Appendf(nil, `2["broadcast",{"t":1,"p":"%dxxx"}]`, seq), time.Time{})
	}
	for _, seq := range []int{4, 5, 6, 6, 8, 9} { // 4: before it was ready; 6 twice; 7 missing
		deliver(seq)
	}
	f.sent.Store(9)
	f.finish()  // accounts every client still connected up to 9
	deliver(10) // after its leave point: ignored
	if f.lost.Load() != 1 || f.dup.Load() != 1 {
		t.Fatalf("lost %d dup %d, want 1 and 1", f.lost.Load(), f.dup.Load())
	}
}
