package rooms

import (
	"sync"
	"testing"
)

// BenchmarkLayout compares the two room-set layouts considered for 1,000,000
// members in one room: a bare map[M]struct{} (least memory) and the chosen
// roomSet layout: dense slices + map[M]int32 (fast iteration, O(1)
// removal by swap).
// Its "B/entry" metric is the live heap per member.
func BenchmarkLayout(b *testing.B) {
	const n = 1_000_000
	b.Run("map/iterate", func(b *testing.B) {
		var set map[uint64]struct{}
		per := measure(func() {
			set = make(map[uint64]struct{})
			for i := range uint64(n) {
				set[i] = struct{}{}
			}
		})
		var sum uint64
		for b.Loop() {
			for m := range set {
				sum += m
			}
		}
		b.ReportMetric(per, "B/entry")
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/member")
	})
	b.Run("slice+map/iterate", func(b *testing.B) {
		var rs *roomSet[uint64]
		per := measure(func() {
			rs = newRoomSet[uint64]("r", nil)
			for i := range uint64(n) {
				rs.add(i, 0)
			}
		})
		var sum uint64
		for b.Loop() {
			for _, m := range rs.members {
				sum += m
			}
		}
		b.ReportMetric(per, "B/entry")
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/member")
	})
}

var measureMu sync.Mutex

// measure returns the live heap bytes per entry that build leaves behind.
func measure(build func()) float64 {
	measureMu.Lock()
	defer measureMu.Unlock()
	before := heapAlloc()
	build()
	return float64(heapAlloc()-before) / 1_000_000
}
