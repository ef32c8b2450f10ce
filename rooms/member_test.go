package rooms

import (
	"runtime"
	"slices"
	"testing"
	"unsafe"
)

// TestMemberEntrySize guards the reverse entry's size: every member pays
// for one (a server's idle sockets pay for little else), times the list's
// growth slack. Two words: the handle and the room-list pointer.
func TestMemberEntrySize(t *testing.T) {
	if got := unsafe.Sizeof(memberEntry[*int]{}); got > 2*unsafe.Sizeof(uintptr(0)) {
		t.Errorf("memberEntry[*int] is %d bytes, want at most 2 words", got)
	}
	if got := unsafe.Sizeof(memberEntry[uint64]{}); got > 16 {
		t.Errorf("memberEntry[uint64] is %d bytes, want at most 16", got)
	}
}

// entryState names the state of m's reverse entry, for white-box tests.
func entryState(ix *Index[int], m int) string {
	ms := ix.memberShardOf(m)
	e := ms.lookup(m)
	switch {
	case e == nil:
		return "absent"
	case e.rooms == nil:
		return "nil"
	case e.rooms == &ms.addedNoRooms:
		return "shared"
	case e.rooms.added:
		return "own+added"
	}
	return "own"
}

// TestAddedTransitions walks one member through every change of its
// entry's state and checks the state, its rooms and the invariants after
// each step. "shared" means the member allocates nothing but its entry.
func TestAddedTransitions(t *testing.T) {
	type step struct {
		do    func(ix *Index[int])
		state string
		rooms []Room
	}
	join := func(rs ...Room) func(*Index[int]) { return func(ix *Index[int]) { ix.Join(1, rs...) } }
	leave := func(r Room) func(*Index[int]) { return func(ix *Index[int]) { ix.Leave(1, r) } }
	add := func(ix *Index[int]) { ix.Add(1) }
	leaveAll := func(ix *Index[int]) { ix.LeaveAll(1) }
	tests := []struct {
		name  string
		steps []step
	}{
		{"add, join, leave each, leave all", []step{
			{add, "shared", nil},
			{add, "shared", nil},
			{join("a", "b"), "own+added", []Room{"a", "b"}},
			{leave("a"), "own+added", []Room{"b"}},
			{leave("b"), "shared", nil},
			{leave("b"), "shared", nil},
			{join("c"), "own+added", []Room{"c"}},
			{leaveAll, "absent", nil},
		}},
		{"join then add keeps the own list", []step{
			{join("a"), "own", []Room{"a"}},
			{add, "own+added", []Room{"a"}},
			{leave("a"), "shared", nil},
			{leaveAll, "absent", nil},
		}},
		{"add then leave all at once", []step{
			{add, "shared", nil},
			{join("a", "b", "c"), "own+added", []Room{"a", "b", "c"}},
			{leaveAll, "absent", nil},
			{join("a"), "own", []Room{"a"}},
			{leave("a"), "absent", nil},
		}},
		{"leave all of an added member in no room", []step{
			{add, "shared", nil},
			{leaveAll, "absent", nil},
			{add, "shared", nil},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ix := New[int](2)
			ix.Add(2) // a neighbour on the same shared lists, left untouched
			ix.Join(3, "a")
			for i, s := range tc.steps {
				s.do(ix)
				if got := entryState(ix, 1); got != s.state {
					t.Fatalf("step %d: state %s, want %s", i, got, s.state)
				}
				if got := sorted(ix.RoomsOf(1, nil)); !slices.Equal(got, s.rooms) {
					t.Fatalf("step %d: rooms %q, want %q", i, got, s.rooms)
				}
				if entryState(ix, 2) != "shared" || ix.NumRoomsOf(3) != 1 {
					t.Fatalf("step %d: a neighbour changed", i)
				}
				checkInvariants(t, ix)
			}
		})
	}
}

// TestShrinkIfSparse: a shard that emptied gives its list's capacity back
// (and rebuilds pos), by either way out of the index, and keeps working.
func TestShrinkIfSparse(t *testing.T) {
	const n, keep = 4000, 100
	ix := New[int](1)
	ms := &ix.memberShards[0]
	for m := range n {
		if m%2 == 0 {
			ix.Add(m)
		} else {
			ix.Join(m, roomName(m%7))
		}
	}
	grown := cap(ms.list)
	for m := keep; m < n; m++ {
		if m%2 == 0 {
			ix.LeaveAll(m)
		} else {
			ix.Leave(m, roomName(m%7))
		}
	}
	if c := cap(ms.list); c > 4*keep || c >= grown {
		t.Fatalf("cap %d after shrinking from %d to %d entries (was %d)", c, n, keep, grown)
	}
	checkInvariants(t, ix)
	if got := collect(t, ix, nil, nil); len(got) != keep || got[keep-1] != keep-1 {
		t.Fatalf("after shrinking: %d members, last %v", len(got), got[len(got)-1])
	}
	for m := keep; m < n; m++ { // grows again from the shrunk list
		ix.Add(m)
	}
	checkInvariants(t, ix)
	if ix.NumMembers() != n {
		t.Fatalf("NumMembers = %d, want %d", ix.NumMembers(), n)
	}
}

// TestSmallShardNeverShrinks: below minShrinkCap no drop copies the list.
func TestSmallShardNeverShrinks(t *testing.T) {
	ix := New[int](1)
	ms := &ix.memberShards[0]
	for m := range minShrinkCap / 2 {
		ix.Add(m)
	}
	before := cap(ms.list)
	for m := 1; m < minShrinkCap/2; m++ {
		ix.LeaveAll(m)
	}
	if cap(ms.list) != before || len(ms.list) != 1 {
		t.Fatalf("cap %d, len %d; want cap %d, len 1", cap(ms.list), len(ms.list), before)
	}
}

// TestShrinkReturnsMemory: the point of shrinking is the heap. Once a
// shard that held 100,000 members is down to 100, the list and pos of the
// busy moment must both be garbage (a Go map keeps its size when keys are
// deleted, so pos has to be rebuilt, not only the list copied).
func TestShrinkReturnsMemory(t *testing.T) {
	const n, keep = 100_000, 100
	base := heapAlloc()
	ix := New[int](1)
	for m := range n {
		ix.Add(m)
	}
	peak := heapAlloc() - base
	for m := keep; m < n; m++ {
		ix.LeaveAll(m)
	}
	left := int64(heapAlloc()) - int64(base)
	runtime.KeepAlive(ix)
	t.Logf("live heap: %d B at %d members, %d B at %d", peak, n, left, keep)
	if left > 64<<10 {
		t.Fatalf("%d bytes still live for %d members (%d at the peak of %d)", left, keep, peak, n)
	}
}
