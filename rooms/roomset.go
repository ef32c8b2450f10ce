package rooms

import "strings"

// Rooms with at most smallRoom members keep no lookup map: a linear scan
// of a few handles is as fast as hashing, and most rooms are tiny (a
// user's sockets, a chat of a few people; Socket.IO's room of each socket
// is kept outside the index, see socketio's MemoryAdapter). A map is built
// when a room grows past smallRoom and dropped again when it shrinks below
// shrinkRoom; the gap keeps a room hovering at the boundary from rebuilding
// it every time.
const (
	smallRoom  = 16
	shrinkRoom = smallRoom / 2
)

// roomSet is one room: a dense slice of members, so that fan-out is a slice
// walk, plus, for large rooms, a map from member to its index, so that
// lookup and removal stay O(1). backs[i] is the position of this room in
// members[i]'s room list (roomList.sets), which makes Leave O(1) on the
// member side too. Every field but name and shard is guarded by shard.mu;
// name and shard never change after creation and may be read without it.
type roomSet[M comparable] struct {
	name    Room
	shard   *roomShard[M]
	members []M
	backs   []int32
	pos     map[M]int32 // nil while len(members) <= smallRoom
}

// newRoomSet creates an empty room. The name is cloned because callers may
// pass a string that aliases a reusable buffer (a decoded packet), and the
// index keeps the name for as long as the room exists.
func newRoomSet[M comparable](name Room, sh *roomShard[M]) *roomSet[M] {
	return &roomSet[M]{name: strings.Clone(name), shard: sh}
}

// find returns m's index in members, or -1. The caller holds shard.mu.
func (rs *roomSet[M]) find(m M) int {
	if rs.pos != nil {
		if i, ok := rs.pos[m]; ok {
			return int(i)
		}
		return -1
	}
	for i, x := range rs.members {
		if x == m {
			return i
		}
	}
	return -1
}

// has reports whether m is in rs. The caller holds shard.mu.
func (rs *roomSet[M]) has(m M) bool { return rs.find(m) >= 0 }

// add appends m, whose entry will hold this room at index back. The caller
// holds shard.mu for writing and knows m is absent.
func (rs *roomSet[M]) add(m M, back int) {
	if rs.pos != nil {
		rs.pos[m] = int32(len(rs.members))
	}
	rs.members = append(rs.members, m)
	rs.backs = append(rs.backs, int32(back))
	if rs.pos == nil && len(rs.members) > smallRoom {
		rs.pos = make(map[M]int32, 2*len(rs.members))
		for i, x := range rs.members {
			rs.pos[x] = int32(i)
		}
	}
}

// removeAt deletes the member at index i by moving the last member into its
// place, and returns the removed member's back index. The caller holds
// shard.mu for writing.
func (rs *roomSet[M]) removeAt(i int) (back int) {
	back = int(rs.backs[i])
	m := rs.members[i]
	last := len(rs.members) - 1
	if i != last {
		moved := rs.members[last]
		rs.members[i] = moved
		rs.backs[i] = rs.backs[last]
		if rs.pos != nil {
			rs.pos[moved] = int32(i)
		}
	}
	var zero M
	rs.members[last] = zero // drop the reference for the GC
	rs.members = rs.members[:last]
	rs.backs = rs.backs[:last]
	if rs.pos != nil {
		delete(rs.pos, m)
		if last < shrinkRoom {
			rs.pos = nil // give the map's memory back; scans are cheap again
		}
	}
	return back
}

// setBack records that m's entry now holds this room at index back. It is
// called after the member side moved this room inside its slice; m is known
// to be a member.
func (rs *roomSet[M]) setBack(m M, back int) {
	rs.shard.mu.Lock()
	rs.backs[rs.find(m)] = int32(back)
	rs.shard.mu.Unlock()
}
