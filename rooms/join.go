package rooms

// Join adds m to each of rooms, creating rooms that do not exist yet (and
// calling OnCreate for them). Joining a room m is already in does nothing.
// Each room costs O(1) amortized. The room names are copied when a room is
// created, so they may alias a buffer the caller reuses after Join returns.
// Safe from any goroutine.
func (ix *Index[M]) Join(m M, rooms ...Room) {
	if len(rooms) == 0 {
		return
	}
	ms := ix.memberShardOf(m)
	ms.mu.Lock()
	defer ms.mu.Unlock()
	e, _ := ms.entry(m)
	for _, r := range rooms {
		ix.joinOne(m, e, r)
	}
}

// Add registers m without a room: it is enumerated with the other members
// when Enumerate selects all members, and stays registered when it leaves
// its last room, until LeaveAll. (A member that only ever joined rooms
// leaves the index with its last room.) Adding a member twice does nothing.
// An added member in no room costs its two-word entry in the index and
// allocates nothing else. O(1) amortized. Safe from any goroutine.
func (ix *Index[M]) Add(m M) {
	ms := ix.memberShardOf(m)
	ms.mu.Lock()
	e, _ := ms.entry(m)
	ms.markAdded(e)
	ms.mu.Unlock()
}

// joinOne adds m to room r. The caller holds m's member shard lock, which
// serialises every change to m's memberships, so the room side and the
// member side cannot disagree even though they are locked one at a time.
func (ix *Index[M]) joinOne(m M, e *memberEntry[M], r Room) {
	sh := ix.roomShardOf(r)
	sh.mu.Lock()
	rs := sh.rooms[r]
	if rs == nil {
		rs = newRoomSet(r, sh)
		sh.rooms[rs.name] = rs
		if ix.onCreate != nil {
			ix.onCreate(rs.name) // under the lock: see Options.OnCreate
		}
	} else if rs.has(m) {
		sh.mu.Unlock()
		return
	}
	rs.add(m, len(e.roomSets()))
	sh.mu.Unlock()
	e.appendRoom(rs)
}

// Leave removes m from room, deleting the room (and calling OnDelete) if it
// becomes empty. Leaving a room m is not in does nothing. O(1) amortized
// (a member leaving the index may shrink its shard). Safe from any
// goroutine.
func (ix *Index[M]) Leave(m M, room Room) {
	ms := ix.memberShardOf(m)
	ms.mu.Lock()
	defer ms.mu.Unlock()
	e := ms.lookup(m)
	if e == nil {
		return
	}
	sh := ix.roomShardOf(room)
	sh.mu.Lock()
	rs := sh.rooms[room]
	if rs == nil {
		sh.mu.Unlock()
		return
	}
	i := rs.find(m)
	if i < 0 {
		sh.mu.Unlock()
		return
	}
	back := ix.removeLocked(rs, i)
	sh.mu.Unlock()
	// The room lock is released before touching another room's shard in
	// removeRoomAt: a writer never holds two room locks at once.
	e.removeRoomAt(back)
	if len(e.roomSets()) == 0 {
		ms.leftLastRoom(e)
	}
}

// LeaveAll removes m from every room it is in, deleting rooms that become
// empty. It costs O(rooms of m), amortized like Leave, and never scans
// other members or rooms: this is the disconnect path. Safe from any
// goroutine.
func (ix *Index[M]) LeaveAll(m M) {
	ms := ix.memberShardOf(m)
	ms.mu.Lock()
	defer ms.mu.Unlock()
	e := ms.lookup(m)
	if e == nil {
		return
	}
	for _, rs := range e.roomSets() {
		sh := rs.shard
		sh.mu.Lock()
		ix.removeLocked(rs, rs.find(m))
		sh.mu.Unlock()
	}
	ms.drop(m)
}

// removeLocked removes the member at index i from rs, deletes rs from its
// shard if it became empty, and returns the removed member's back index.
// The caller holds rs.shard.mu for writing.
func (ix *Index[M]) removeLocked(rs *roomSet[M], i int) (back int) {
	back = rs.removeAt(i)
	if len(rs.members) == 0 {
		delete(rs.shard.rooms, rs.name)
		if ix.onDelete != nil {
			ix.onDelete(rs.name) // under the lock: see Options.OnDelete
		}
	}
	return back
}
