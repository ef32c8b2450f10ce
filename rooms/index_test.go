package rooms

import (
	"slices"
	"testing"
)

func TestNormShards(t *testing.T) {
	for _, tc := range []struct{ in, want int }{
		{-1, DefaultShards}, {0, DefaultShards}, {1, 1}, {2, 2}, {3, 4},
		{63, 64}, {64, 64}, {65, 128}, {MaxShards - 1, MaxShards},
		{MaxShards, MaxShards}, {1 << 20, MaxShards},
	} {
		if got := normShards(tc.in); got != tc.want {
			t.Errorf("normShards(%d) = %d, want %d", tc.in, got, tc.want)
		}
		if got := len(New[int](tc.in).roomShards); got != tc.want {
			t.Errorf("New(%d) has %d shards, want %d", tc.in, got, tc.want)
		}
	}
}

// op is one step of a table test.
type op struct {
	kind string // "join", "leave", "leaveall"
	m    int
	rs   []Room
}

func apply(ix *Index[int], o op) {
	switch o.kind {
	case "join":
		ix.Join(o.m, o.rs...)
	case "leave":
		for _, r := range o.rs {
			ix.Leave(o.m, r)
		}
	case "leaveall":
		ix.LeaveAll(o.m)
	}
}

func TestIndexOps(t *testing.T) {
	tests := []struct {
		name     string
		ops      []op
		wantRoom map[Room][]int // expected members per room; absent rooms must not exist
		wantOf   map[int][]Room // expected rooms per member
	}{
		{"empty", nil, map[Room][]int{}, map[int][]Room{1: nil}},
		{"join one", []op{{"join", 1, []Room{"a"}}},
			map[Room][]int{"a": {1}}, map[int][]Room{1: {"a"}}},
		{"join many rooms", []op{{"join", 1, []Room{"a", "b", "c"}}},
			map[Room][]int{"a": {1}, "b": {1}, "c": {1}}, map[int][]Room{1: {"a", "b", "c"}}},
		{"join twice is idempotent", []op{{"join", 1, []Room{"a", "a"}}, {"join", 1, []Room{"a"}}},
			map[Room][]int{"a": {1}}, map[int][]Room{1: {"a"}}},
		{"join nothing", []op{{"join", 1, nil}}, map[Room][]int{}, map[int][]Room{1: nil}},
		{"leave deletes empty room", []op{{"join", 1, []Room{"a", "b"}}, {"leave", 1, []Room{"a"}}},
			map[Room][]int{"b": {1}}, map[int][]Room{1: {"b"}}},
		{"leave last room forgets member", []op{{"join", 1, []Room{"a"}}, {"leave", 1, []Room{"a"}}},
			map[Room][]int{}, map[int][]Room{1: nil}},
		{"leave absent room", []op{{"join", 1, []Room{"a"}}, {"leave", 1, []Room{"zz"}}, {"leave", 2, []Room{"a"}}},
			map[Room][]int{"a": {1}}, map[int][]Room{1: {"a"}, 2: nil}},
		{"leave first of many (swap)", []op{{"join", 1, []Room{"a", "b", "c", "d"}}, {"leave", 1, []Room{"a", "c"}}},
			map[Room][]int{"b": {1}, "d": {1}}, map[int][]Room{1: {"b", "d"}}},
		{"shared room survives", []op{{"join", 1, []Room{"a"}}, {"join", 2, []Room{"a"}}, {"join", 3, []Room{"a"}}, {"leave", 1, []Room{"a"}}},
			map[Room][]int{"a": {2, 3}}, map[int][]Room{1: nil, 2: {"a"}, 3: {"a"}}},
		{"leave all", []op{{"join", 1, []Room{"a", "b"}}, {"join", 2, []Room{"b", "c"}}, {"leaveall", 2, nil}},
			map[Room][]int{"a": {1}, "b": {1}}, map[int][]Room{1: {"a", "b"}, 2: nil}},
		{"leave all unknown", []op{{"join", 1, []Room{"a"}}, {"leaveall", 9, nil}},
			map[Room][]int{"a": {1}}, map[int][]Room{1: {"a"}, 9: nil}},
		{"rejoin after delete", []op{{"join", 1, []Room{"a"}}, {"leaveall", 1, nil}, {"join", 1, []Room{"a"}}},
			map[Room][]int{"a": {1}}, map[int][]Room{1: {"a"}}},
		{"empty room name is a room", []op{{"join", 1, []Room{""}}},
			map[Room][]int{"": {1}}, map[int][]Room{1: {""}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, shards := range []int{1, 4} {
				ix := New[int](shards)
				for _, o := range tc.ops {
					apply(ix, o)
				}
				checkInvariants(t, ix)
				checkExpect(t, ix, tc.wantRoom, tc.wantOf)
			}
		})
	}
}

func checkExpect(t *testing.T, ix *Index[int], rooms map[Room][]int, of map[int][]Room) {
	t.Helper()
	var want []Room
	for r, ms := range rooms {
		want = append(want, r)
		if got := collect(t, ix, []Room{r}, nil); !slices.Equal(got, sorted(ms)) {
			t.Errorf("members of %q = %v, want %v", r, got, sorted(ms))
		}
		if ix.Len(r) != len(ms) {
			t.Errorf("Len(%q) = %d, want %d", r, ix.Len(r), len(ms))
		}
		for _, m := range ms {
			if !ix.Has(m, r) {
				t.Errorf("Has(%d, %q) = false", m, r)
			}
		}
	}
	if got := sorted(ix.Rooms(nil)); !slices.Equal(got, sorted(want)) {
		t.Errorf("Rooms = %q, want %q", got, sorted(want))
	}
	if ix.NumRooms() != len(want) {
		t.Errorf("NumRooms = %d, want %d", ix.NumRooms(), len(want))
	}
	members := 0
	for m, rs := range of {
		if got := sorted(ix.RoomsOf(m, nil)); !slices.Equal(got, sorted(rs)) {
			t.Errorf("RoomsOf(%d) = %q, want %q", m, got, sorted(rs))
		}
		if ix.NumRoomsOf(m) != len(rs) {
			t.Errorf("NumRoomsOf(%d) = %d, want %d", m, ix.NumRoomsOf(m), len(rs))
		}
		if len(rs) > 0 {
			members++
		}
	}
	if ix.NumMembers() != members {
		t.Errorf("NumMembers = %d, want %d", ix.NumMembers(), members)
	}
}

func TestHasLenMissing(t *testing.T) {
	ix := New[int](0)
	if ix.Has(1, "a") || ix.Len("a") != 0 || len(ix.RoomsOf(1, nil)) != 0 {
		t.Fatal("empty index reports members")
	}
	ix.Join(1, "a")
	if ix.Has(2, "a") || ix.Has(1, "b") {
		t.Fatal("Has reports a non-member")
	}
}

func TestRoomsOfAppends(t *testing.T) {
	ix := New[int](0)
	ix.Join(1, "a", "b")
	got := ix.RoomsOf(1, []Room{"x"})
	if len(got) != 3 || got[0] != "x" {
		t.Fatalf("RoomsOf did not append: %q", got)
	}
	got = ix.Rooms([]Room{"x"})
	if len(got) != 3 || got[0] != "x" {
		t.Fatalf("Rooms did not append: %q", got)
	}
}

func TestRoomNameIsCopied(t *testing.T) {
	ix := New[int](0)
	buf := []byte("alpha")
	name := string(buf) // stands in for an unsafe view of a packet buffer
	ix.Join(1, name)
	if got := ix.RoomsOf(1, nil); got[0] != "alpha" {
		t.Fatalf("RoomsOf = %q", got)
	}
	rs := ix.roomShardOf("alpha").rooms["alpha"]
	if rs == nil || rs.name != "alpha" {
		t.Fatal("room not stored under its name")
	}
}

func TestCallbacks(t *testing.T) {
	var events []string
	ix := NewWithOptions[int](Options{
		Shards:   2,
		OnCreate: func(r Room) { events = append(events, "+"+r) },
		OnDelete: func(r Room) { events = append(events, "-"+r) },
	})
	ix.Join(1, "a", "b")
	ix.Join(2, "a")
	ix.Join(2, "a") // no event: already a member
	ix.Leave(1, "a")
	ix.Leave(1, "zz") // no event: not a member
	ix.Leave(2, "a")
	ix.LeaveAll(1)
	ix.Join(3, "a")
	want := []string{"+a", "+b", "-a", "-b", "+a"}
	if !slices.Equal(events, want) {
		t.Fatalf("events = %q, want %q", events, want)
	}
}

func TestPointerMembers(t *testing.T) {
	type conn struct{ id int }
	a, b := &conn{1}, &conn{1} // equal contents, distinct handles
	ix := New[*conn](0)
	ix.Join(a, "r")
	ix.Join(b, "r")
	if ix.Len("r") != 2 || !ix.Has(a, "r") || !ix.Has(b, "r") {
		t.Fatal("pointer handles must be compared by identity")
	}
	ix.LeaveAll(a)
	if ix.Has(a, "r") || !ix.Has(b, "r") {
		t.Fatal("LeaveAll removed the wrong handle")
	}
	checkInvariants(t, ix)
}

// TestRoomGrowShrink crosses the small-room threshold both ways, checking
// the optional lookup map and every back index at each step.
func TestRoomGrowShrink(t *testing.T) {
	ix := New[int](2)
	const n = 3 * smallRoom
	for m := range n {
		ix.Join(m, "big", roomName(m%3))
		checkInvariants(t, ix)
	}
	for _, order := range [][]int{{0, n, 1}, {n - 1, -1, -1}} {
		for m := order[0]; m != order[1]; m += order[2] {
			if m%2 == 0 {
				ix.Leave(m, "big")
			} else {
				ix.LeaveAll(m)
			}
			checkInvariants(t, ix)
		}
		for m := range n {
			ix.Join(m, "big")
		}
	}
	if ix.Len("big") != n {
		t.Fatalf("Len = %d, want %d", ix.Len("big"), n)
	}
}

// TestAddedMemberStaysWithoutRooms: a member registered with Add is
// enumerated with all members even with no room, survives leaving its last
// room, and goes with LeaveAll; a member that only joined leaves the index
// with its last room.
func TestAddedMemberStaysWithoutRooms(t *testing.T) {
	ix := New[int](4)
	ix.Add(1)
	ix.Add(1)
	ix.Join(2, "r")
	ix.Join(1, "r")
	all := func() []int {
		var out []int
		ix.Enumerate(nil, nil, func(m int) bool { out = append(out, m); return true })
		slices.Sort(out)
		return out
	}
	if got := all(); !slices.Equal(got, []int{1, 2}) {
		t.Fatalf("all = %v", got)
	}
	ix.Leave(1, "r")
	ix.Leave(2, "r")
	if got := all(); !slices.Equal(got, []int{1}) || ix.NumMembers() != 1 || ix.NumRooms() != 0 {
		t.Fatalf("after leaving: all = %v, members %d, rooms %d", got, ix.NumMembers(), ix.NumRooms())
	}
	if got := ix.RoomsOf(1, nil); len(got) != 0 {
		t.Fatalf("rooms of 1 = %v", got)
	}
	ix.LeaveAll(1)
	if got := all(); len(got) != 0 || ix.NumMembers() != 0 {
		t.Fatalf("after LeaveAll: all = %v, members %d", got, ix.NumMembers())
	}
}
