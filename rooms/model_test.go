package rooms

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// model is the obviously-correct reference: member → set of rooms.
type model map[int]map[Room]bool

func (md model) join(m int, rs ...Room) {
	for _, r := range rs {
		if md[m] == nil {
			md[m] = map[Room]bool{}
		}
		md[m][r] = true
	}
}

func (md model) leave(m int, r Room) {
	delete(md[m], r)
	if len(md[m]) == 0 {
		delete(md, m)
	}
}

// audience computes Enumerate's expected result by brute force.
func (md model) audience(in, except []Room) []int {
	var out []int
	for m, rs := range md {
		hit := len(in) == 0
		for _, r := range in {
			hit = hit || rs[r]
		}
		for _, r := range except {
			hit = hit && !rs[r]
		}
		if hit {
			out = append(out, m)
		}
	}
	return sorted(out)
}

func (md model) rooms() map[Room]int {
	out := map[Room]int{}
	for _, rs := range md {
		for r := range rs {
			out[r]++
		}
	}
	return out
}

func randRooms(rng *rand.Rand, nRooms, max int) []Room {
	rs := make([]Room, rng.IntN(max+1))
	for i := range rs {
		rs[i] = roomName(rng.IntN(nRooms))
	}
	return rs
}

// TestModel applies random operations to an Index and to the model and
// compares every observable after each step.
func TestModel(t *testing.T) {
	for seed := uint64(1); seed <= 8; seed++ {
		rng := rand.New(rand.NewPCG(seed, 42))
		nMembers, nRooms := 4+rng.IntN(40), 2+rng.IntN(30)
		if seed%2 == 0 { // crowded rooms: cross the small-room threshold
			nMembers, nRooms = 40+rng.IntN(40), 2+rng.IntN(3)
		}
		live := map[Room]bool{}
		ix := NewWithOptions[int](Options{
			Shards:   1 << rng.IntN(5),
			OnCreate: func(r Room) { live[r] = true },
			OnDelete: func(r Room) { delete(live, r) },
		})
		md := model{}
		for step := 0; step < 1500; step++ {
			m := rng.IntN(nMembers)
			switch k := rng.IntN(10); {
			case k < 5:
				rs := randRooms(rng, nRooms, 4)
				ix.Join(m, rs...)
				md.join(m, rs...)
			case k < 8:
				r := roomName(rng.IntN(nRooms))
				ix.Leave(m, r)
				md.leave(m, r)
			case k < 9:
				ix.LeaveAll(m)
				delete(md, m)
			default:
				in, ex := randRooms(rng, nRooms, 5), randRooms(rng, nRooms, 3)
				if got, want := collect(t, ix, in, ex), md.audience(in, ex); !slices.Equal(got, want) {
					t.Fatalf("seed %d step %d: Enumerate(%q, %q) = %v, want %v", seed, step, in, ex, got, want)
				}
			}
			if step%50 == 0 {
				compareModel(t, ix, md, live, nMembers)
			}
		}
		compareModel(t, ix, md, live, nMembers)
	}
}

func compareModel(t *testing.T, ix *Index[int], md model, live map[Room]bool, nMembers int) {
	t.Helper()
	checkInvariants(t, ix)
	want := md.rooms()
	if ix.NumRooms() != len(want) || len(live) != len(want) {
		t.Fatalf("NumRooms = %d, callbacks say %d, want %d", ix.NumRooms(), len(live), len(want))
	}
	for r, n := range want {
		if ix.Len(r) != n || !live[r] {
			t.Fatalf("Len(%q) = %d, want %d (live %v)", r, ix.Len(r), n, live[r])
		}
	}
	for m := 0; m < nMembers; m++ {
		var rs []Room
		for r := range md[m] {
			rs = append(rs, r)
			if !ix.Has(m, r) {
				t.Fatalf("Has(%d, %q) = false", m, r)
			}
		}
		if got := sorted(ix.RoomsOf(m, nil)); !slices.Equal(got, sorted(rs)) {
			t.Fatalf("RoomsOf(%d) = %q, want %q", m, got, sorted(rs))
		}
	}
	if got := collect(t, ix, nil, nil); !slices.Equal(got, md.audience(nil, nil)) {
		t.Fatalf("all members = %v, want %v", got, md.audience(nil, nil))
	}
}
