package rooms

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
)

// TestConcurrent runs joins, leaves, leave-alls and enumerations from many
// goroutines. Each worker owns some members and keeps a private model of
// them; a few shared members are hammered by everyone. Run it with -race.
func TestConcurrent(t *testing.T) {
	const workers, owned, nRooms, steps = 8, 16, 24, 3000
	var cbMu sync.Mutex
	live := map[Room]bool{}
	var cbErr error
	ix := NewWithOptions[int](Options{
		Shards: 8,
		OnCreate: func(r Room) {
			cbMu.Lock()
			if live[r] && cbErr == nil {
				cbErr = fmt.Errorf("OnCreate(%q) for a live room", r)
			}
			live[r] = true
			cbMu.Unlock()
		},
		OnDelete: func(r Room) {
			cbMu.Lock()
			if !live[r] && cbErr == nil {
				cbErr = fmt.Errorf("OnDelete(%q) for a dead room", r)
			}
			delete(live, r)
			cbMu.Unlock()
		},
	})
	models := make([]model, workers)
	var wg sync.WaitGroup
	for w := range workers {
		models[w] = newModel()
		wg.Go(func() { concurrentWorker(t, ix, models[w], w, owned, nRooms, steps) })
	}
	wg.Wait()
	if cbErr != nil {
		t.Fatal(cbErr)
	}
	checkInvariants(t, ix)
	present := map[int]bool{}
	ix.Enumerate(nil, nil, func(m int) bool { present[m] = true; return true })
	for w, md := range models {
		for i := range owned {
			m := w*owned + i
			var want []Room
			for r := range md.of[m] {
				want = append(want, r)
			}
			if got := sorted(ix.RoomsOf(m, nil)); !slices.Equal(got, sorted(want)) {
				t.Fatalf("member %d: rooms %q, want %q", m, got, sorted(want))
			}
			if want := len(want) > 0 || md.added[m]; present[m] != want {
				t.Fatalf("member %d: in the index %v, want %v", m, present[m], want)
			}
		}
	}
	if len(live) != ix.NumRooms() {
		t.Fatalf("callbacks say %d rooms, index has %d", len(live), ix.NumRooms())
	}
}

func concurrentWorker(t *testing.T, ix *Index[int], md model, w, owned, nRooms, steps int) {
	rng := rand.New(rand.NewPCG(uint64(w), 7))
	var buf []int
	for range steps {
		m := w*owned + rng.IntN(owned)
		shared := rng.IntN(8) == 0
		if shared {
			m = -1 - rng.IntN(3) // shared members: no model
		}
		switch k := rng.IntN(11); {
		case k < 4:
			rs := randRooms(rng, nRooms, 3)
			ix.Join(m, rs...)
			if !shared {
				md.join(m, rs...)
			}
		case k < 6:
			r := roomName(rng.IntN(nRooms))
			ix.Leave(m, r)
			if !shared {
				md.leave(m, r)
			}
		case k < 7:
			ix.LeaveAll(m)
			if !shared {
				md.leaveAll(m)
			}
		case k < 8:
			ix.Add(m)
			if !shared {
				md.add(m)
			}
		case k < 10:
			in, ex := randRooms(rng, nRooms, 4), randRooms(rng, nRooms, 2)
			buf = ix.AppendMembers(buf[:0], in, ex)
			if s := sorted(buf); len(slices.Compact(s)) != len(buf) {
				t.Errorf("AppendMembers(%q, %q) yielded duplicates", in, ex)
			}
		default:
			n := 0
			ix.Enumerate(nil, randRooms(rng, nRooms, 1), func(int) bool { n++; return true })
			_ = ix.Has(m, roomName(0))
			_ = ix.Rooms(nil)
			_ = ix.Len(roomName(1))
			_ = ix.RoomsOf(m, nil)
			_ = ix.NumRoomsOf(m)
		}
	}
}
