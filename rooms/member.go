package rooms

// memberEntry is the reverse index for one member: the rooms it is in.
// Rooms are stored as *roomSet rather than by name: 8 bytes instead of 16
// per membership, no re-hashing in LeaveAll, and the name is still at hand
// (roomSet.name is immutable). A roomSet referenced here is never deleted,
// because a room is only deleted once it has no members.
type memberEntry[M comparable] struct {
	m     M
	rooms []*roomSet[M]
	// added: the member was registered with Add and stays in the index
	// (and in Enumerate over all members) with no room, until LeaveAll.
	added bool
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
}

// removeRoomAt removes the room at index back from e.rooms by moving the
// last room into its place, and tells that room about its new index.
// The caller holds the member shard lock for writing (and no room lock).
func (e *memberEntry[M]) removeRoomAt(back int) {
	last := len(e.rooms) - 1
	if back != last {
		moved := e.rooms[last]
		e.rooms[back] = moved
		moved.setBack(e.m, back)
	}
	e.rooms[last] = nil
	e.rooms = e.rooms[:last]
}
