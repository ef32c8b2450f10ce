package rooms

// Has reports whether m is in room. Safe from any goroutine.
func (ix *Index[M]) Has(m M, room Room) bool {
	sh := ix.roomShardOf(room)
	sh.mu.RLock()
	defer sh.mu.RUnlock()
	rs := sh.rooms[room]
	return rs != nil && rs.has(m)
}

// Len returns the number of members of room (0 if the room does not
// exist). Safe from any goroutine.
func (ix *Index[M]) Len(room Room) int {
	sh := ix.roomShardOf(room)
	sh.mu.RLock()
	defer sh.mu.RUnlock()
	if rs := sh.rooms[room]; rs != nil {
		return len(rs.members)
	}
	return 0
}

// RoomsOf appends the rooms m is in to dst, in no particular order, and
// returns the extended slice. The appended strings are the Index's own
// copies and may be retained. Safe from any goroutine.
func (ix *Index[M]) RoomsOf(m M, dst []Room) []Room {
	ms := ix.memberShardOf(m)
	ms.mu.RLock()
	defer ms.mu.RUnlock()
	if e := ms.lookup(m); e != nil {
		for _, rs := range e.roomSets() {
			dst = append(dst, rs.name)
		}
	}
	return dst
}

// NumRoomsOf returns how many rooms m is in. Safe from any goroutine.
func (ix *Index[M]) NumRoomsOf(m M) int {
	ms := ix.memberShardOf(m)
	ms.mu.RLock()
	defer ms.mu.RUnlock()
	if e := ms.lookup(m); e != nil {
		return len(e.roomSets())
	}
	return 0
}

// Rooms appends the name of every existing room to dst, in no particular
// order, and returns the extended slice. Shards are visited one at a time,
// so under concurrent changes the result is not a single snapshot: a room
// created or deleted meanwhile may or may not appear. Safe from any
// goroutine.
func (ix *Index[M]) Rooms(dst []Room) []Room {
	for i := range ix.roomShards {
		sh := &ix.roomShards[i]
		sh.mu.RLock()
		for name := range sh.rooms {
			dst = append(dst, name)
		}
		sh.mu.RUnlock()
	}
	return dst
}

// NumRooms returns the number of existing rooms, with the same
// shard-by-shard consistency as Rooms. Safe from any goroutine.
func (ix *Index[M]) NumRooms() int {
	n := 0
	for i := range ix.roomShards {
		sh := &ix.roomShards[i]
		sh.mu.RLock()
		n += len(sh.rooms)
		sh.mu.RUnlock()
	}
	return n
}

// NumMembers returns the number of members in the index: those in at
// least one room and those registered with Add (until LeaveAll), with the
// same shard-by-shard consistency as Rooms. Safe from any goroutine.
func (ix *Index[M]) NumMembers() int {
	n := 0
	for i := range ix.memberShards {
		ms := &ix.memberShards[i]
		ms.mu.RLock()
		n += len(ms.list)
		ms.mu.RUnlock()
	}
	return n
}
