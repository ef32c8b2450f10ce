package rooms

import "math/bits"

// Enumerate calls fn once for each member that is in at least one of the
// rooms in (or, when in is empty, for every member of the index) and in
// none of the rooms in except. Rooms that do not exist count as empty, and
// naming a room twice is harmless. Enumeration stops early when fn returns
// false. The order is unspecified.
//
// Enumerate allocates nothing per member and, for up to 8 existing rooms
// in each of in and except, nothing at all. Deduplication needs no per-call set: a
// member of in[i] is yielded only if it is in no in[j] with j < i, which
// costs one map lookup per earlier room; except rooms with 8 members or
// fewer in total (a sender's own room, typically) are checked by a linear
// scan instead of map lookups.
//
// Locking: when in is non-empty, the shards of all the rooms in in and
// except are read-locked together, in ascending shard order, for the whole
// call, so fn sees one atomic snapshot of those rooms and Join/Leave on
// them wait until Enumerate returns. When in is empty, member shards are
// read-locked one at a time: each member is still yielded at most once,
// but members that join or leave meanwhile may or may not be seen.
// Either way fn runs with locks held, so fn must not call any method of
// ix (that may deadlock) and should be quick, e.g. queue already-encoded
// bytes; use AppendMembers to fan out without holding locks.
//
// Safe from any goroutine.
func (ix *Index[M]) Enumerate(in, except []Room, fn func(M) bool) {
	if len(in) == 0 {
		ix.enumerateAll(except, fn)
		return
	}
	var locked shardSet
	for _, r := range in {
		locked.add(ix.roomShardIndex(r))
	}
	for _, r := range except {
		locked.add(ix.roomShardIndex(r))
	}
	ix.rlockShards(&locked)
	defer ix.runlockShards(&locked)

	var inBuf, exBuf [8]*roomSet[M]
	ins := ix.resolveLocked(inBuf[:0], in)
	exs := ix.resolveLocked(exBuf[:0], except)
	yieldUnion(ins, exs, fn)
}

// AppendMembers appends to dst the members Enumerate(in, except, ...)
// would yield and returns the extended slice. It holds the locks only
// while copying, so the caller can then fan out to a consistent snapshot
// without blocking writers and may call any method of ix meanwhile.
// Reusing dst across calls makes it allocation-free once dst has grown
// to the largest audience. Safe from any goroutine.
func (ix *Index[M]) AppendMembers(dst []M, in, except []Room) []M {
	ix.Enumerate(in, except, func(m M) bool {
		dst = append(dst, m)
		return true
	})
	return dst
}

// resolveLocked appends the existing rooms among names to dst. The caller
// holds the read locks of their shards.
func (ix *Index[M]) resolveLocked(dst []*roomSet[M], names []Room) []*roomSet[M] {
	for _, r := range names {
		if rs := ix.roomShardOf(r).rooms[r]; rs != nil {
			dst = append(dst, rs)
		}
	}
	return dst
}

// yieldUnion calls fn for each member of the union of ins minus the union
// of exs, once each. The caller holds the read locks of all their shards.
func yieldUnion[M comparable](ins, exs []*roomSet[M], fn func(M) bool) {
	x := newExcluder(exs)
	for i, rs := range ins {
		if i == 0 && x.empty() {
			for _, m := range rs.members {
				if !fn(m) {
					return
				}
			}
			continue
		}
		prev := ins[:i]
		for _, m := range rs.members {
			if x.has(m) || inAny(prev, m) {
				continue
			}
			if !fn(m) {
				return
			}
		}
	}
}

// inAny reports whether m is in any of sets.
func inAny[M comparable](sets []*roomSet[M], m M) bool {
	for _, rs := range sets {
		if rs.has(m) {
			return true
		}
	}
	return false
}

// excluder answers "is m in an except room". When the except rooms hold
// few members in total they are copied into an array and compared with ==,
// which beats a map lookup per yielded member.
type excluder[M comparable] struct {
	small [8]M
	n     int
	sets  []*roomSet[M]
}

// newExcluder builds an excluder over exs. The caller holds their locks.
func newExcluder[M comparable](exs []*roomSet[M]) excluder[M] {
	var x excluder[M]
	total := 0
	for _, rs := range exs {
		total += len(rs.members)
	}
	if total > len(x.small) {
		x.sets = exs
		return x
	}
	for _, rs := range exs {
		x.n += copy(x.small[x.n:], rs.members)
	}
	return x
}

// empty reports whether nothing is excluded.
func (x *excluder[M]) empty() bool { return x.n == 0 && len(x.sets) == 0 }

// has reports whether m is excluded.
func (x *excluder[M]) has(m M) bool {
	for i := 0; i < x.n; i++ {
		if x.small[i] == m {
			return true
		}
	}
	return inAny(x.sets, m)
}

// enumerateAll is Enumerate with an empty in: every member of the index,
// one member shard at a time.
func (ix *Index[M]) enumerateAll(except []Room, fn func(M) bool) {
	var locked shardSet
	for _, r := range except {
		locked.add(ix.roomShardIndex(r))
	}
	for i := range ix.memberShards {
		if !ix.enumerateShard(&ix.memberShards[i], &locked, except, fn) {
			return
		}
	}
}

// enumerateShard yields the members of one member shard that are in none
// of except. It takes the member shard lock first and the except rooms'
// shard locks second, the same member → room order writers use; holding
// room locks across member shards would invert it. Checking except on the
// room side (rather than walking each member's rooms) avoids a pointer
// chase per member. It reports whether to continue.
func (ix *Index[M]) enumerateShard(ms *memberShard[M], locked *shardSet, except []Room, fn func(M) bool) bool {
	ms.mu.RLock()
	defer ms.mu.RUnlock()
	ix.rlockShards(locked)
	defer ix.runlockShards(locked)
	var exBuf [8]*roomSet[M]
	x := newExcluder(ix.resolveLocked(exBuf[:0], except))
	if x.empty() {
		for i := range ms.list {
			if !fn(ms.list[i].m) {
				return false
			}
		}
		return true
	}
	for i := range ms.list {
		if m := ms.list[i].m; !x.has(m) && !fn(m) {
			return false
		}
	}
	return true
}

// shardSet is a bitset of room-shard indices. It lives on the caller's
// stack (MaxShards bits), so marking any number of rooms allocates nothing,
// and walking it yields indices in ascending order: the lock order that
// keeps concurrent Enumerate calls from deadlocking one another.
type shardSet [MaxShards / 64]uint64

// add marks shard i.
func (s *shardSet) add(i int) { s[i>>6] |= 1 << (uint(i) & 63) }

// rlockShards read-locks every marked room shard in ascending order.
func (ix *Index[M]) rlockShards(s *shardSet) {
	for w, word := range s {
		for ; word != 0; word &= word - 1 {
			ix.roomShards[w<<6|bits.TrailingZeros64(word)].mu.RLock()
		}
	}
}

// runlockShards releases the locks taken by rlockShards.
func (ix *Index[M]) runlockShards(s *shardSet) {
	for w, word := range s {
		for ; word != 0; word &= word - 1 {
			ix.roomShards[w<<6|bits.TrailingZeros64(word)].mu.RUnlock()
		}
	}
}

// Excluding calls fn once with a predicate that reports whether a member is
// in one of the rooms in except, or with nil when none of them exists (no
// member is excluded). The shards of those rooms are read-locked for the
// whole call, so the predicate answers for one snapshot of them and
// Join/Leave on them wait until fn returns: fn must not call any method of
// ix. It lets a caller that keeps its own list of every member (a broadcast
// to all but some rooms) skip the members of except as Enumerate(nil,
// except, ...) would. Safe from any goroutine.
func (ix *Index[M]) Excluding(except []Room, fn func(excluded func(M) bool)) {
	if len(except) == 0 {
		fn(nil)
		return
	}
	var locked shardSet
	for _, r := range except {
		locked.add(ix.roomShardIndex(r))
	}
	ix.rlockShards(&locked)
	defer ix.runlockShards(&locked)
	var exBuf [8]*roomSet[M]
	x := newExcluder(ix.resolveLocked(exBuf[:0], except))
	if x.empty() {
		fn(nil)
		return
	}
	fn(x.has)
}
