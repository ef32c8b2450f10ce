package rooms

// memberEntry is the reverse index for one member: the rooms it is in, and
// whether it was registered with Add. It is two words for a pointer-sized M
// (16 bytes on 64-bit) because most members of a busy server are sockets
// registered with Add and in no room of the index: such a member pays for
// this entry and its pos slot only, and everything a member in a room needs
// lives behind the rooms pointer.
//
// rooms is in one of three states:
//
//   - nil: not added and in no room. Only a member Join is creating is in
//     this state, never one at rest.
//   - &memberShard.addedNoRooms, shared by the shard's members in that
//     state: added and in no room. It is never written through.
//   - a roomList of the member's own, holding at least one room and the
//     added flag.
type memberEntry[M comparable] struct {
	m     M
	rooms *roomList[M]
}

// roomList is the part of a reverse entry that only members in a room pay
// for. Rooms are stored as *roomSet rather than by name: 8 bytes instead of
// 16 per membership, no re-hashing in LeaveAll, and the name is still at
// hand (roomSet.name is immutable). A roomSet referenced here is never
// deleted, because a room is only deleted once it has no members.
type roomList[M comparable] struct {
	sets []*roomSet[M]
	// added: the member was registered with Add and stays in the index
	// (and in Enumerate over all members) with no room, until LeaveAll.
	added bool
}

// roomSets returns the rooms e is in. The caller holds the shard lock.
func (e *memberEntry[M]) roomSets() []*roomSet[M] {
	if e.rooms == nil {
		return nil
	}
	return e.rooms.sets
}

// isAdded reports whether e was registered with Add. The caller holds the
// shard lock.
func (e *memberEntry[M]) isAdded() bool { return e.rooms != nil && e.rooms.added }

// appendRoom records that e is now in rs, at index len(e.roomSets()). A
// member entering its first room gets a list of its own here, carrying the
// added flag over; the shared addedNoRooms is never appended to. The caller
// holds the shard lock for writing.
func (e *memberEntry[M]) appendRoom(rs *roomSet[M]) {
	if len(e.roomSets()) == 0 {
		e.rooms = &roomList[M]{added: e.isAdded()}
	}
	e.rooms.sets = append(e.rooms.sets, rs)
}

// removeRoomAt removes the room at index back from e's rooms by moving the
// last room into its place, and tells that room about its new index.
// The caller holds the member shard lock for writing (and no room lock)
// and, if this was e's last room, calls leftLastRoom next.
func (e *memberEntry[M]) removeRoomAt(back int) {
	l := e.rooms
	last := len(l.sets) - 1
	if back != last {
		moved := l.sets[last]
		l.sets[back] = moved
		moved.setBack(e.m, back)
	}
	l.sets[last] = nil
	l.sets = l.sets[:last]
}

// entry returns m's entry, creating it if needed, and whether it was
// created. The caller holds ms.mu for writing. The pointer is valid until
// the next insertion into or removal from ms.
func (ms *memberShard[M]) entry(m M) (*memberEntry[M], bool) {
	if i, ok := ms.pos[m]; ok {
		return &ms.list[i], false
	}
	ms.pos[m] = int32(len(ms.list))
	ms.list = append(ms.list, memberEntry[M]{m: m})
	return &ms.list[len(ms.list)-1], true
}

// lookup returns m's entry or nil. The caller holds ms.mu.
func (ms *memberShard[M]) lookup(m M) *memberEntry[M] {
	if i, ok := ms.pos[m]; ok {
		return &ms.list[i]
	}
	return nil
}

// markAdded records that e was registered with Add. A member in no room
// points at the shared addedNoRooms, so that it allocates nothing. The
// caller holds ms.mu for writing.
func (ms *memberShard[M]) markAdded(e *memberEntry[M]) {
	switch {
	case e.rooms == nil:
		e.rooms = &ms.addedNoRooms
	case !e.rooms.added: // never the shared list: that one is added
		e.rooms.added = true
	}
}

// leftLastRoom settles e once it is in no room: an added member keeps its
// entry and releases its own list for the shared addedNoRooms; any other
// member is forgotten. The caller holds ms.mu for writing; e is invalid
// afterwards.
func (ms *memberShard[M]) leftLastRoom(e *memberEntry[M]) {
	if e.isAdded() {
		e.rooms = &ms.addedNoRooms
		return
	}
	ms.drop(e.m)
}

// drop removes m's entry by moving the last entry into its place. The
// caller holds ms.mu for writing.
func (ms *memberShard[M]) drop(m M) {
	i, ok := ms.pos[m]
	if !ok {
		return
	}
	last := len(ms.list) - 1
	if int(i) != last {
		ms.list[i] = ms.list[last]
		ms.pos[ms.list[i].m] = i
	}
	ms.list[last] = memberEntry[M]{} // drop references for the GC
	ms.list = ms.list[:last]
	delete(ms.pos, m)
	ms.shrinkIfSparse()
}

// minShrinkCap is the list capacity below which a shard never shrinks: a
// few KiB are not worth a copy and a rebuilt map.
const minShrinkCap = 256

// shrinkIfSparse reallocates the list at twice its length, and rebuilds
// pos, once less than a quarter of the list's capacity is in use. Without
// it a shard keeps the memory of its busiest moment for ever: a slice
// never gives capacity back, and a Go map does not shrink when keys are
// deleted. The list is left half full, so at least len/2 drops or len
// insertions come before the next copy or growth: the O(len) rebuild costs
// O(1) amortized per drop (though one drop pays it all, under the lock).
// The caller holds ms.mu for writing.
func (ms *memberShard[M]) shrinkIfSparse() {
	n := len(ms.list)
	if cap(ms.list) < minShrinkCap || n >= cap(ms.list)/4 {
		return
	}
	ms.list = append(make([]memberEntry[M], 0, 2*n), ms.list...)
	ms.pos = make(map[M]int32, n)
	for i := range ms.list {
		ms.pos[ms.list[i].m] = int32(i)
	}
}
