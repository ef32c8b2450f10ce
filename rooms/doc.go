// Package rooms is sio-fast's membership index: which members are in which
// rooms, and which rooms each member is in. It is the in-memory core of a
// Socket.IO adapter (Node's in-memory-adapter `rooms` and `sids` maps,
// socketioxide's CoreLocalAdapter), sharded and generic over the member
// handle M. It imports only the standard library and knows nothing about
// sockets or encoding: broadcasting code asks it for members and writes
// already-encoded bytes to them.
//
// # Data layout
//
// Rooms are spread over room shards by maphash of the name; members over
// the same number of member shards by maphash.Comparable of the handle.
// Each shard has its own sync.RWMutex.
//
//   - A room is a dense slice of members, so that fan-out is a plain slice
//     walk. Rooms with more than 16 members add a map member → index, so
//     Has, Join and Leave stay O(1); smaller rooms (most of them: a user's
//     or a chat's room of a few sockets) are scanned instead, which is as fast
//     and saves the map's memory. A bare map[M]struct{} would cost a little
//     less memory per member of a big room but is many times slower to
//     iterate; BenchmarkLayout measures both.
//   - A member's reverse entry is two words: the handle and a pointer to
//     the list of its rooms, which only a member in a room allocates. Each
//     room records, for each member, where it sits in that member's list,
//     so Leave is O(1) on both sides and LeaveAll is O(rooms of the member).
//   - Empty rooms are deleted at once (Options.OnDelete reports it), and a
//     member with no rooms is forgotten, unless it was registered with Add:
//     it then keeps its entry, and only that, until LeaveAll. A room that
//     shrinks drops its map below 8 members but keeps its slices' capacity
//     until it empties; a member shard with room for 256 entries or more
//     that falls below a quarter of its capacity copies its entries into a
//     smaller list and map.
//
// Costs: Join is O(1) amortized per room, Leave O(1) amortized, LeaveAll
// O(rooms of the member) amortized (the occasional shrink of a member
// shard is spread over the departures that caused it), Has and Len O(1)
// (a scan of at most 16 handles for small rooms). Enumerate over rooms in
// and except costs at most O(Σ|in[i]| × (i + |except|)) lookups and
// allocates nothing per member.
//
// Memory, measured by BenchmarkMemory (live heap after building, amd64,
// uint64 handles): about 60 bytes per membership for 1,000,000 memberships
// of 200,000 members in 5 rooms of 10 each, and about 147 bytes when
// 1,000,000 members share a single room (each member's reverse entry and
// room list are then paid for by one membership). 100,000 members
// registered with Add and in no room take about 48 bytes each: the 16-byte
// entry, its share of the list's growth slack and its slot in the shard's
// map. For a room of 1,000,000, a bare map[M]struct{} takes 38 B/member
// and about 23 ns/member to iterate; the slice+map layout used here takes
// 51 B/member and about 3 ns/member.
//
// # Concurrency contract
//
// Every method is safe for concurrent use from any goroutine. The locks
// are ordered to rule out deadlock:
//
//  1. Changes to one member's memberships (Join, Leave, LeaveAll) hold that
//     member's shard lock throughout, so they are serialised per member and
//     the two directions of the index always agree.
//  2. Inside it, writers lock one room shard at a time and never wait for
//     anything while holding it. The order is always member shard, then
//     room shard(s); nothing takes a member lock while holding a room lock.
//  3. Enumerate and AppendMembers with a non-empty in read-lock all the room
//     shards involved at once, in ascending shard order, and take no member
//     lock. The rooms involved are seen as one atomic snapshot.
//  4. Enumerate with an empty in (every member) read-locks one member shard
//     at a time, and inside it the shards of the except rooms (ascending).
//     Each member is yielded at most once, but a member that joins or leaves
//     meanwhile may or may not be seen, and except is re-read per shard.
//  5. Rooms, NumRooms and NumMembers visit shards one at a time and are not
//     a single snapshot under concurrent change.
//
// Callbacks run with locks held: Enumerate's fn (room and/or member shard
// read locks) and Options.OnCreate/OnDelete (the room's shard write lock, which
// is what delivers OnCreate and OnDelete for one room in order). A callback
// must therefore not call any method of the same Index; Go's RWMutex is not
// reentrant, and even a nested read lock deadlocks once a writer waits.
// Callbacks should be quick, because writers to the locked shards wait for
// them. To fan out without holding locks, or to join and leave rooms while
// visiting members, copy the audience with AppendMembers into a reused
// slice and iterate that.
//
// Room names passed to Join are copied when a room is created, so callers
// may pass strings that alias a reusable buffer. Names handed out (RoomsOf,
// Rooms, callbacks) are the index's own copies and may be retained.
package rooms
