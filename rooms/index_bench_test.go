package rooms

import (
	"runtime"
	"strconv"
	"sync"
	"testing"
)

// The fixtures hold 1,000,000 memberships and are built once per process.
//
//	spread:  200,000 members × 5 rooms each, over 100,000 rooms of 10.
//	oneRoom: 1,000,000 members all in room "all".
const (
	fxMemberships = 1_000_000
	spreadRooms   = 100_000
	spreadPer     = 5 // rooms per member
	spreadMembers = fxMemberships / spreadPer
)

type fixture struct {
	ix       *Index[uint64]
	names    []Room  // spread room names, built before measuring
	bytesPer float64 // heap bytes per membership while building
}

var (
	spreadOnce, oneOnce sync.Once
	spreadFx, oneFx     *fixture
)

// heapAlloc returns the live heap after a full collection.
func heapAlloc() uint64 {
	var ms runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// spreadRoom is member k's j-th room. Member k and k+100,000 share rooms,
// and the five offsets are distinct, so every room gets exactly 10.
func spreadRoom(k, j int) int { return (k%spreadRooms + j*(spreadRooms/spreadPer)) % spreadRooms }

// extraRoom is a room member k is not in (offset 10,000 is not a multiple
// of 20,000), used to join and leave without disturbing the fixture.
func extraRoom(k int) int { return (k%spreadRooms + 10_000) % spreadRooms }

func getSpread() *fixture {
	spreadOnce.Do(func() {
		fx := &fixture{names: make([]Room, spreadRooms)}
		for i := range fx.names {
			fx.names[i] = "room-" + strconv.Itoa(i)
		}
		before := heapAlloc()
		fx.ix = New[uint64](0)
		var rs [spreadPer]Room
		for k := range spreadMembers {
			for j := range rs {
				rs[j] = fx.names[spreadRoom(k, j)]
			}
			fx.ix.Join(uint64(k), rs[:]...)
		}
		fx.bytesPer = float64(heapAlloc()-before) / fxMemberships
		spreadFx = fx
	})
	return spreadFx
}

func getOneRoom() *fixture {
	oneOnce.Do(func() {
		fx := &fixture{}
		before := heapAlloc()
		fx.ix = New[uint64](0)
		for k := range fxMemberships {
			fx.ix.Join(uint64(k), "all")
		}
		fx.bytesPer = float64(heapAlloc()-before) / fxMemberships
		fx.ix.Join(0, "self") // a sender's own room, for except
		oneFx = fx
	})
	return oneFx
}

// cycle times do(k) for k = 0, 1, ... n-1, 0, ...; every n operations and
// at the end, it runs undo untimed so that the fixture is left as found.
func cycle(b *testing.B, n int, do, undo func(k int)) {
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		k := i % n
		if k == 0 && i > 0 {
			b.StopTimer()
			for j := range n {
				undo(j)
			}
			b.StartTimer()
		}
		do(k)
	}
	b.StopTimer()
	for j := 0; j <= (b.N-1)%n; j++ {
		undo(j)
	}
}

// addedMembers is the size of the fixture for BenchmarkMemory/added: a
// server with 100,000 connections, each registered with Add and in no room
// of the index (a socket's own room is not a room of the index).
const addedMembers = 100_000

// BenchmarkMemory reports the live heap per membership of the two
// fixtures, and per member of an index of added members in no room.
func BenchmarkMemory(b *testing.B) {
	b.Run("added", func(b *testing.B) {
		var ix *Index[uint64]
		before := heapAlloc()
		ix = New[uint64](0)
		for k := range uint64(addedMembers) {
			ix.Add(k)
		}
		perMember := float64(heapAlloc()-before) / addedMembers
		for b.Loop() {
		}
		runtime.KeepAlive(ix)
		b.ReportMetric(perMember, "B/member")
	})
	for _, tc := range []struct {
		name string
		fx   func() *fixture
	}{{"spread", getSpread}, {"oneRoom", getOneRoom}} {
		b.Run(tc.name, func(b *testing.B) {
			fx := tc.fx()
			for b.Loop() {
			}
			b.ReportMetric(fx.bytesPer, "B/membership")
		})
	}
}

func BenchmarkJoin(b *testing.B) {
	b.Run("spread", func(b *testing.B) {
		fx := getSpread()
		cycle(b, spreadMembers,
			func(k int) { fx.ix.Join(uint64(k), fx.names[extraRoom(k)]) },
			func(k int) { fx.ix.Leave(uint64(k), fx.names[extraRoom(k)]) })
	})
	b.Run("oneRoom", func(b *testing.B) {
		fx := getOneRoom()
		cycle(b, 100_000, // new members: includes creating their reverse entry
			func(k int) { fx.ix.Join(uint64(fxMemberships+k), "all") },
			func(k int) { fx.ix.LeaveAll(uint64(fxMemberships + k)) })
	})
}

func BenchmarkLeave(b *testing.B) {
	b.Run("spread", func(b *testing.B) {
		fx := getSpread()
		join := func(k int) { fx.ix.Join(uint64(k), fx.names[extraRoom(k)]) }
		for k := range spreadMembers {
			join(k)
		}
		cycle(b, spreadMembers, func(k int) { fx.ix.Leave(uint64(k), fx.names[extraRoom(k)]) }, join)
		for k := range spreadMembers {
			fx.ix.Leave(uint64(k), fx.names[extraRoom(k)])
		}
	})
	b.Run("oneRoom", func(b *testing.B) {
		fx := getOneRoom()
		cycle(b, 100_000,
			func(k int) { fx.ix.Leave(uint64(1+k), "all") },
			func(k int) { fx.ix.Join(uint64(1+k), "all") })
	})
}

func BenchmarkLeaveAll(b *testing.B) {
	b.Run("spread", func(b *testing.B) {
		fx := getSpread()
		var rs [spreadPer]Room
		cycle(b, spreadMembers,
			func(k int) { fx.ix.LeaveAll(uint64(k)) },
			func(k int) {
				for j := range rs {
					rs[j] = fx.names[spreadRoom(k, j)]
				}
				fx.ix.Join(uint64(k), rs[:]...)
			})
	})
	b.Run("oneRoom", func(b *testing.B) {
		fx := getOneRoom()
		cycle(b, 100_000,
			func(k int) { fx.ix.LeaveAll(uint64(1 + k)) },
			func(k int) { fx.ix.Join(uint64(1+k), "all") })
	})
}

func BenchmarkEnumerate(b *testing.B) {
	sp := func() *fixture { return getSpread() }
	one := func() *fixture { return getOneRoom() }
	for _, tc := range []struct {
		name       string
		fx         func() *fixture
		in, except func(*fixture) []Room
	}{
		{"spread/3rooms-except1", sp,
			func(f *fixture) []Room { return []Room{f.names[1], f.names[2], f.names[3]} },
			func(f *fixture) []Room { return []Room{f.names[4]} }},
		{"spread/all-except1", sp, nilRooms,
			func(f *fixture) []Room { return []Room{f.names[4]} }},
		{"oneRoom/room", one, func(*fixture) []Room { return []Room{"all"} }, nilRooms},
		{"oneRoom/room-except-self", one, func(*fixture) []Room { return []Room{"all"} },
			func(*fixture) []Room { return []Room{"self"} }},
		{"oneRoom/all-except-self", one, nilRooms, func(*fixture) []Room { return []Room{"self"} }},
	} {
		b.Run(tc.name, func(b *testing.B) {
			fx := tc.fx()
			in, except := tc.in(fx), tc.except(fx)
			n := 0
			b.ReportAllocs()
			for b.Loop() {
				n = 0
				fx.ix.Enumerate(in, except, func(uint64) bool { n++; return true })
			}
			reportPerMember(b, n)
		})
		b.Run(tc.name+"/AppendMembers", func(b *testing.B) {
			fx := tc.fx()
			in, except := tc.in(fx), tc.except(fx)
			dst := fx.ix.AppendMembers(nil, in, except)
			b.ReportAllocs()
			for b.Loop() {
				dst = fx.ix.AppendMembers(dst[:0], in, except)
			}
			reportPerMember(b, len(dst))
		})
	}
}

func nilRooms(*fixture) []Room { return nil }

func reportPerMember(b *testing.B, n int) {
	if n > 0 && b.N > 0 {
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/member")
	}
	b.ReportMetric(float64(n), "members")
}

// BenchmarkJoinLeaveParallel measures contention: every goroutine joins and
// leaves its own members, so the shards are the only shared state.
func BenchmarkJoinLeaveParallel(b *testing.B) {
	fx := getSpread()
	var next sync.Mutex
	base := 0
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		next.Lock()
		k := base
		base += 1 << 16
		next.Unlock()
		for i := 0; pb.Next(); i++ {
			m := (k + i&0xffff) % spreadMembers
			fx.ix.Join(uint64(m), fx.names[extraRoom(m)])
			fx.ix.Leave(uint64(m), fx.names[extraRoom(m)])
		}
	})
}
