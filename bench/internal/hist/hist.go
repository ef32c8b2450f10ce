package hist

import (
	"math/bits"
	"sync/atomic"
)

const (
	subBits    = 5            // 32 sub-buckets per power of two
	subCount   = 1 << subBits // 32
	linear     = 2 * subCount // values below 64 are recorded exactly
	maxShift   = 64 - subBits - 1
	numBuckets = linear + maxShift*subCount
)

// Histogram counts non-negative values (nanoseconds, by convention). The zero
// value is ready to use.
type Histogram struct {
	buckets [numBuckets]atomic.Uint64
	count   atomic.Uint64
	sum     atomic.Uint64
	max     atomic.Uint64
}

// index returns the bucket of v: exact below 64, then 32 sub-buckets for
// every power of two, so the bucket width is at most 1/32 of its value.
func index(v uint64) int {
	if v < linear {
		return int(v)
	}
	shift := bits.Len64(v) - subBits - 1
	return linear + (shift-1)*subCount + int(v>>uint(shift)) - subCount
}

// upper returns the largest value that falls in bucket i.
func upper(i int) uint64 {
	if i < linear {
		return uint64(i)
	}
	k := i - linear
	shift := uint(k/subCount + 1)
	m := uint64(k%subCount + subCount)
	return (m+1)<<shift - 1
}

// Record adds one value; negative values count as zero. Any goroutine.
func (h *Histogram) Record(v int64) {
	if v < 0 {
		v = 0
	}
	u := uint64(v)
	h.buckets[index(u)].Add(1)
	h.count.Add(1)
	h.sum.Add(u)
	for {
		m := h.max.Load()
		if u <= m || h.max.CompareAndSwap(m, u) {
			return
		}
	}
}

// Reset clears every counter. Any goroutine; values recorded concurrently
// with Reset may be partly lost, so call it between phases.
func (h *Histogram) Reset() {
	for i := range h.buckets {
		h.buckets[i].Store(0)
	}
	h.count.Store(0)
	h.sum.Store(0)
	h.max.Store(0)
}

// Count returns the number of recorded values.
func (h *Histogram) Count() uint64 { return h.count.Load() }

// Max returns the largest recorded value, exactly.
func (h *Histogram) Max() int64 { return int64(h.max.Load()) }

// Mean returns the arithmetic mean, 0 when empty.
func (h *Histogram) Mean() float64 {
	n := h.count.Load()
	if n == 0 {
		return 0
	}
	return float64(h.sum.Load()) / float64(n)
}

// Quantile returns the value at quantile q in [0,1]: the upper bound of the
// bucket holding the q-th value, capped by the exact maximum. 0 when empty.
func (h *Histogram) Quantile(q float64) int64 {
	n := h.count.Load()
	if n == 0 {
		return 0
	}
	rank := uint64(q*float64(n) + 0.5)
	if rank < 1 {
		rank = 1
	}
	if rank > n {
		rank = n
	}
	var seen uint64
	mx := h.max.Load()
	for i := range h.buckets {
		seen += h.buckets[i].Load()
		if seen >= rank {
			return int64(min(upper(i), mx))
		}
	}
	return int64(mx)
}

// Summary is the standard set of percentiles, in the recorded unit.
type Summary struct {
	Count                    uint64
	Mean                     float64
	P50, P90, P99, P999, Max int64
}

// Summarize returns count, mean, p50/p90/p99/p99.9 and max.
func (h *Histogram) Summarize() Summary {
	return Summary{
		Count: h.Count(), Mean: h.Mean(),
		P50: h.Quantile(0.50), P90: h.Quantile(0.90), P99: h.Quantile(0.99),
		P999: h.Quantile(0.999), Max: h.Max(),
	}
}
