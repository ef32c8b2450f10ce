//go:build !race

package rooms

import "testing"

// allocFixture has 10,000 members: each in its own room (like a Socket.IO
// socket id room), in one of four "team" rooms, and all in "lobby".
func allocFixture() *Index[uint64] {
	ix := New[uint64](0)
	teams := []Room{"team0", "team1", "team2", "team3"}
	for m := range uint64(10000) {
		ix.Join(m, roomName(int(m)), teams[m%4], "lobby")
	}
	return ix
}

func TestAllocEnumerate(t *testing.T) {
	ix := allocFixture()
	tests := []struct {
		name       string
		in, except []Room
		want       int
	}{
		{"one room", []Room{"lobby"}, nil, 10000},
		{"union except own room", []Room{"team0", "team1", "team2"}, []Room{roomName(0)}, 7499},
		{"overlapping union except teams", []Room{"team0", "lobby", "team1"}, []Room{"team2", "team3"}, 5000},
		{"everyone except own room", nil, []Room{roomName(1)}, 9999},
		{"many rooms", []Room{"a", "b", "c", "d", "e", "f", "g", "team1", "lobby"}, []Room{"x", "y", "z", roomName(1), "team0"}, 7499},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := 0
			allocs := testing.AllocsPerRun(20, func() {
				n = 0
				ix.Enumerate(tc.in, tc.except, func(uint64) bool { n++; return true })
			})
			if n != tc.want {
				t.Fatalf("yielded %d members, want %d", n, tc.want)
			}
			if allocs != 0 {
				t.Errorf("Enumerate: %v allocs/op, want 0", allocs)
			}
			dst := ix.AppendMembers(nil, tc.in, tc.except) // warm the buffer
			allocs = testing.AllocsPerRun(20, func() {
				dst = ix.AppendMembers(dst[:0], tc.in, tc.except)
			})
			if len(dst) != tc.want {
				t.Fatalf("AppendMembers gave %d members, want %d", len(dst), tc.want)
			}
			if allocs != 0 {
				t.Errorf("AppendMembers: %v allocs/op, want 0", allocs)
			}
		})
	}
}

func TestAllocJoinLeave(t *testing.T) {
	ix := allocFixture()
	small := roomName(2)       // member 2's own room
	ix.Join(1, "team0", small) // grow capacity once
	ix.Leave(1, "team0")
	ix.Leave(1, small)
	allocs := testing.AllocsPerRun(100, func() {
		ix.Join(1, "team0")
		ix.Leave(1, "team0")
		ix.Leave(2, "lobby") // swaps rooms on the member side
		ix.Join(2, "lobby")
		ix.Join(1, small) // a small room: no lookup map
		ix.Leave(1, small)
	})
	if allocs != 0 {
		t.Errorf("Join/Leave within capacity: %v allocs/op, want 0", allocs)
	}
	allocs = testing.AllocsPerRun(100, func() {
		_ = ix.Has(3, "lobby")
		_ = ix.Len("lobby")
		_ = ix.NumRoomsOf(3)
	})
	if allocs != 0 {
		t.Errorf("queries: %v allocs/op, want 0", allocs)
	}
	checkInvariants(t, ix)
}

// TestAllocAddedMember: registering a member again allocates nothing, and
// an added member in no room pays for a room list only while it is in a
// room: joining allocates the list and its array, leaving the last room
// hands them to the GC and allocates nothing.
func TestAllocAddedMember(t *testing.T) {
	ix := allocFixture()
	ix.Add(1)
	ix.Add(20_000) // a new member, in no room
	if allocs := testing.AllocsPerRun(100, func() { ix.Add(1); ix.Add(20_000) }); allocs != 0 {
		t.Errorf("Add of an added member: %v allocs/op, want 0", allocs)
	}
	allocs := testing.AllocsPerRun(100, func() {
		ix.Join(20_000, "lobby")
		ix.Leave(20_000, "lobby")
	})
	if allocs > 2 {
		t.Errorf("Join/Leave of an added member in no room: %v allocs/op, want at most 2", allocs)
	}
	checkInvariants(t, ix)
}
