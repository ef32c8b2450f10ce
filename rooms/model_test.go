package rooms

import (
	"maps"
	"math/rand/v2"
	"slices"
	"testing"
)

// model is the obviously-correct reference: member → set of rooms, and
// the members registered with Add. A member is in the index while it has
// a room or is added.
type model struct {
	of    map[int]map[Room]bool
	added map[int]bool
}

func newModel() model { return model{of: map[int]map[Room]bool{}, added: map[int]bool{}} }

func (md model) join(m int, rs ...Room) {
	for _, r := range rs {
		if md.of[m] == nil {
			md.of[m] = map[Room]bool{}
		}
		md.of[m][r] = true
	}
}

func (md model) add(m int) { md.added[m] = true }

func (md model) leave(m int, r Room) {
	delete(md.of[m], r)
	if len(md.of[m]) == 0 {
		delete(md.of, m)
	}
}

func (md model) leaveAll(m int) {
	delete(md.of, m)
	delete(md.added, m)
}

// members returns every member in the index, with its rooms (nil for an
// added member in no room).
func (md model) members() map[int]map[Room]bool {
	out := maps.Clone(md.of)
	for m := range md.added {
		if out[m] == nil {
			out[m] = nil
		}
	}
	return out
}

// audience computes Enumerate's expected result by brute force.
func (md model) audience(in, except []Room) []int {
	var out []int
	for m, rs := range md.members() {
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
	for _, rs := range md.of {
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
		md := newModel()
		for step := 0; step < 1500; step++ {
			m := rng.IntN(nMembers)
			switch k := rng.IntN(11); {
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
				md.leaveAll(m)
			case k < 10:
				ix.Add(m)
				md.add(m)
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
		for r := range md.of[m] {
			rs = append(rs, r)
			if !ix.Has(m, r) {
				t.Fatalf("Has(%d, %q) = false", m, r)
			}
		}
		if got := sorted(ix.RoomsOf(m, nil)); !slices.Equal(got, sorted(rs)) {
			t.Fatalf("RoomsOf(%d) = %q, want %q", m, got, sorted(rs))
		}
		if got := ix.NumRoomsOf(m); got != len(rs) {
			t.Fatalf("NumRoomsOf(%d) = %d, want %d", m, got, len(rs))
		}
	}
	if got := collect(t, ix, nil, nil); !slices.Equal(got, md.audience(nil, nil)) {
		t.Fatalf("all members = %v, want %v", got, md.audience(nil, nil))
	}
	if got, want := ix.NumMembers(), len(md.members()); got != want {
		t.Fatalf("NumMembers = %d, want %d", got, want)
	}
}
