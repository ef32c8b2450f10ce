package rooms

import (
	"fmt"
	"slices"
	"testing"
)

// checkInvariants verifies that the two directions of the index agree and
// that every back-pointer and slot is exact. It needs a quiescent index.
func checkInvariants[M comparable](t testing.TB, ix *Index[M]) {
	t.Helper()
	memberships := 0
	for i := range ix.roomShards {
		sh := &ix.roomShards[i]
		for name, rs := range sh.rooms {
			if rs.name != name || rs.shard != sh {
				t.Fatalf("room %q: name/shard mismatch", name)
			}
			if ix.roomShardOf(name) != sh {
				t.Fatalf("room %q in wrong shard", name)
			}
			checkRoomSet(t, ix, rs)
			memberships += len(rs.members)
		}
	}
	back := 0
	for i := range ix.memberShards {
		ms := &ix.memberShards[i]
		if len(ms.list) != len(ms.pos) {
			t.Fatalf("member shard %d: %d entries, %d positions", i, len(ms.list), len(ms.pos))
		}
		if ms.addedNoRooms.sets != nil || !ms.addedNoRooms.added {
			t.Fatalf("member shard %d: shared added-no-rooms list was written to", i)
		}
		for j, e := range ms.list {
			if p, ok := ms.pos[e.m]; !ok || int(p) != j || ix.memberShardOf(e.m) != ms {
				t.Fatalf("member %v: position broken", e.m)
			}
			checkRoomList(t, ms, e)
			for k, rs := range e.roomSets() {
				if i := rs.find(e.m); i < 0 || int(rs.backs[i]) != k {
					t.Fatalf("member %v: room %q not linked back", e.m, rs.name)
				}
				if rs.shard.rooms[rs.name] != rs {
					t.Fatalf("member %v: room %q is stale", e.m, rs.name)
				}
			}
			back += len(e.roomSets())
		}
	}
	if back != memberships {
		t.Fatalf("room side has %d memberships, member side %d", memberships, back)
	}
}

// checkRoomList verifies that an entry at rest is in one of its two legal
// states: added with no room, on the shard's shared list, or in at least
// one room, on a list of its own. (nil is only seen inside Join.)
func checkRoomList[M comparable](t testing.TB, ms *memberShard[M], e memberEntry[M]) {
	t.Helper()
	switch {
	case e.rooms == nil:
		t.Fatalf("member %v kept with no rooms and not added", e.m)
	case e.rooms == &ms.addedNoRooms:
	case len(e.rooms.sets) == 0:
		t.Fatalf("member %v kept a room list of its own with no rooms", e.m)
	}
}

// checkRoomSet verifies one room's slices, optional map and back indices.
func checkRoomSet[M comparable](t testing.TB, ix *Index[M], rs *roomSet[M]) {
	t.Helper()
	n := len(rs.members)
	if n == 0 || len(rs.backs) != n {
		t.Fatalf("room %q: %d members, %d backs", rs.name, n, len(rs.backs))
	}
	if (rs.pos != nil) != (n > smallRoom) && (rs.pos == nil || n < shrinkRoom) {
		t.Fatalf("room %q: %d members, map present %v", rs.name, n, rs.pos != nil)
	}
	if rs.pos != nil && len(rs.pos) != n {
		t.Fatalf("room %q: %d members, %d map entries", rs.name, n, len(rs.pos))
	}
	for idx, m := range rs.members {
		if i := rs.find(m); i != idx {
			t.Fatalf("room %q: member %v found at %d, is at %d", rs.name, m, i, idx)
		}
		e := ix.memberShardOf(m).lookup(m)
		back := rs.backs[idx]
		if e == nil || int(back) >= len(e.roomSets()) || e.roomSets()[back] != rs {
			t.Fatalf("room %q: member %v back index %d broken", rs.name, m, back)
		}
	}
}

// sorted returns a sorted copy, for order-insensitive comparisons.
func sorted[T interface{ ~int | ~string }](s []T) []T {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// collect runs Enumerate and returns what it yielded, failing on a repeat.
func collect(t testing.TB, ix *Index[int], in, except []Room) []int {
	t.Helper()
	var got []int
	seen := map[int]bool{}
	ix.Enumerate(in, except, func(m int) bool {
		if seen[m] {
			t.Fatalf("Enumerate(%q, %q) yielded %d twice", in, except, m)
		}
		seen[m] = true
		got = append(got, m)
		return true
	})
	return sorted(got)
}

// roomName formats room i.
func roomName(i int) Room { return fmt.Sprintf("r%d", i) }
