package socketio

import "slices"

// maxIDRooms is how many socket-id room names one selection resolves on the
// stack; more spill to the heap.
const maxIDRooms = 4

// each calls fn once for every socket in at least one of in (every listed
// socket, recipients.go, when in is empty) and in none of except, until fn returns
// false. Room names that are socket ids select those sockets (their own
// rooms are not stored in the index; see MemoryAdapter). The names are also
// looked up as ordinary rooms: someone may have joined a room named like a
// socket's id, and a name that is no room costs one map miss.
func (a *MemoryAdapter) each(in, except []Room, fn func(*Socket) bool) {
	var inBuf, exBuf [maxIDRooms]*Socket
	inSocks := a.ownRoomsOf(in, inBuf[:0])
	exSocks := a.ownRoomsOf(except, exBuf[:0])
	visit := fn
	if len(exSocks) > 0 {
		visit = func(s *Socket) bool { return slices.Contains(exSocks, s) || fn(s) }
	}
	if len(in) == 0 { // every socket: the recipient tables, without the except rooms' members
		a.ix.Excluding(except, func(excluded func(*Socket) bool) {
			if excluded == nil {
				a.nsp.rcpt.each(visit)
				return
			}
			a.nsp.rcpt.each(func(s *Socket) bool { return excluded(s) || visit(s) })
		})
		return
	}
	more := true
	a.ix.Enumerate(in, except, func(s *Socket) bool {
		more = visit(s)
		return more
	})
	for i, s := range inSocks {
		if !more {
			return
		}
		// Once: not named twice, not excluded, not already met as a member
		// of an ordinary room of in.
		if slices.Contains(inSocks[:i], s) || slices.Contains(exSocks, s) || a.inAnyRoom(s, except) || a.inAnyRoom(s, in) {
			continue
		}
		more = fn(s)
	}
}

// ownRoomsOf appends to dst the sockets whose own room is named in names.
func (a *MemoryAdapter) ownRoomsOf(names []Room, dst []*Socket) []*Socket {
	for _, r := range names {
		if s := a.nsp.socketByID(r); s != nil && s.inOwnRoom() {
			dst = append(dst, s)
		}
	}
	return dst
}

// inAnyRoom reports whether s is in one of the ordinary rooms named.
func (a *MemoryAdapter) inAnyRoom(s *Socket, names []Room) bool {
	for _, r := range names {
		if a.ix.Has(s, r) {
			return true
		}
	}
	return false
}

// inOwnRoom reports whether the socket is in the room named after its id.
// Any goroutine.
func (s *Socket) inOwnRoom() bool {
	return s.bits.Load()&(bitOwnRoomJoined|bitOwnRoomLeft) == bitOwnRoomJoined
}
