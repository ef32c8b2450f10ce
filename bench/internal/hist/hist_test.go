package hist

import (
	"math"
	"math/rand/v2"
	"sort"
	"testing"
)

func TestIndexUpperRoundTrip(t *testing.T) {
	for _, v := range []uint64{0, 1, 63, 64, 65, 127, 128, 1000, 1 << 20, 123456789, 1 << 40, math.MaxInt64} {
		i := index(v)
		if i < 0 || i >= numBuckets {
			t.Fatalf("index(%d)=%d out of range", v, i)
		}
		if up := upper(i); up < v {
			t.Fatalf("upper(index(%d))=%d < v", v, up)
		}
		if i > 0 && upper(i-1) >= v {
			t.Fatalf("v=%d also fits bucket %d", v, i-1)
		}
	}
}

func TestQuantiles(t *testing.T) {
	tests := []struct {
		name string
		gen  func(i int) int64
	}{
		{"linear", func(i int) int64 { return int64(i) * 1000 }},
		{"exp", func(i int) int64 { return int64(rand.ExpFloat64() * 1e6) }},
		{"small", func(i int) int64 { return int64(i % 50) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var h Histogram
			vals := make([]int64, 100000)
			for i := range vals {
				vals[i] = tc.gen(i)
				h.Record(vals[i])
			}
			sort.Slice(vals, func(a, b int) bool { return vals[a] < vals[b] })
			for _, q := range []float64{0.5, 0.9, 0.99, 0.999} {
				want := vals[int(q*float64(len(vals)))-1]
				got := h.Quantile(q)
				if float64(got) < float64(want)*0.97-1 || float64(got) > float64(want)*1.04+1 {
					t.Errorf("q%.3f: got %d want ~%d", q, got, want)
				}
			}
			if h.Max() != vals[len(vals)-1] {
				t.Errorf("max %d want %d", h.Max(), vals[len(vals)-1])
			}
			if h.Count() != uint64(len(vals)) {
				t.Errorf("count %d", h.Count())
			}
		})
	}
}

func TestResetAndEmpty(t *testing.T) {
	var h Histogram
	if h.Quantile(0.5) != 0 || h.Mean() != 0 {
		t.Fatal("empty histogram not zero")
	}
	h.Record(-5)
	h.Record(10)
	if h.Quantile(0) != 0 || h.Max() != 10 {
		t.Fatalf("got q0=%d max=%d", h.Quantile(0), h.Max())
	}
	h.Reset()
	if h.Count() != 0 || h.Max() != 0 {
		t.Fatal("reset")
	}
}

func BenchmarkRecord(b *testing.B) {
	var h Histogram
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		h.Record(int64(i) * 997)
	}
}
