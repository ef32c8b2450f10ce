package rooms

import (
	"hash/maphash"
	"math/bits"
	"sync"
)

// Room names a room. Rooms are plain strings so that adapters and the wire
// format need no conversion.
type Room = string

// DefaultShards is the shard count New uses when it is given 0 (or less).
// 64 matches centrifuge's hub: enough to keep lock contention low on big
// machines, small enough that the fixed cost of an empty index stays tiny.
const DefaultShards = 64

// MaxShards caps the shard count. Enumerate records the shards it must lock
// in a fixed-size bitset on its stack, which is what keeps it free of
// allocations however many rooms it is given.
const MaxShards = 4096

// Options configures an Index. The zero value is valid and means
// DefaultShards and no callbacks.
type Options struct {
	// Shards is the number of room shards and of member shards. It is
	// rounded up to a power of two and clamped to [1, MaxShards]; 0 means
	// DefaultShards.
	Shards int

	// OnCreate, if set, is called when a room gets its first member.
	// It runs on the goroutine that called Join, while that room's shard
	// (and the joining member's shard) is write-locked, so that OnCreate and
	// OnDelete for one room are always delivered in order. It must return
	// quickly, must not panic, and must not call any method of the Index
	// (that would deadlock). The argument is the Index's own copy of the
	// name and may be retained.
	OnCreate func(Room)

	// OnDelete, if set, is called when a room loses its last member and is
	// removed. It runs on the goroutine that called Leave or LeaveAll, under
	// the same rules as OnCreate.
	OnDelete func(Room)
}

// Index is a sharded, concurrency-safe index of room → members and
// member → rooms. M is the member handle (a session id, a pointer, a small
// struct); it is compared with == and hashed with maphash.Comparable, so a
// pointer handle is hashed by address.
//
// The zero value is not usable: create an Index with New or
// NewWithOptions. All methods are safe for concurrent use from any
// goroutine; see the package documentation for the locking contract.
type Index[M comparable] struct {
	roomShards   []roomShard[M]
	memberShards []memberShard[M]
	mask         uint64
	seed         maphash.Seed
	onCreate     func(Room)
	onDelete     func(Room)
}

// New returns an empty Index with the given number of shards, rounded up
// to a power of two (0 means DefaultShards). Safe from any goroutine.
func New[M comparable](shards int) *Index[M] {
	return NewWithOptions[M](Options{Shards: shards})
}

// NewWithOptions returns an empty Index configured by o. Safe from any
// goroutine.
func NewWithOptions[M comparable](o Options) *Index[M] {
	n := normShards(o.Shards)
	ix := &Index[M]{
		roomShards:   make([]roomShard[M], n),
		memberShards: make([]memberShard[M], n),
		mask:         uint64(n - 1),
		seed:         maphash.MakeSeed(),
		onCreate:     o.OnCreate,
		onDelete:     o.OnDelete,
	}
	for i := range ix.roomShards {
		ix.roomShards[i].rooms = make(map[Room]*roomSet[M])
		ix.memberShards[i].pos = make(map[M]int32)
		ix.memberShards[i].addedNoRooms.added = true
	}
	return ix
}

// normShards is the single place where the shard count is normalised.
func normShards(n int) int {
	switch {
	case n <= 0:
		return DefaultShards
	case n >= MaxShards:
		return MaxShards
	}
	return 1 << bits.Len(uint(n-1))
}

// roomShardIndex returns the index of the shard that owns room.
func (ix *Index[M]) roomShardIndex(room Room) int {
	return int(maphash.String(ix.seed, room) & ix.mask)
}

// roomShardOf returns the shard that owns room.
func (ix *Index[M]) roomShardOf(room Room) *roomShard[M] {
	return &ix.roomShards[ix.roomShardIndex(room)]
}

// memberShardOf returns the shard that owns m's reverse entry.
func (ix *Index[M]) memberShardOf(m M) *memberShard[M] {
	return &ix.memberShards[maphash.Comparable(ix.seed, m)&ix.mask]
}

// pad keeps neighbouring shard mutexes on different cache lines, so that
// goroutines working on different shards do not slow each other down.
type pad [64]byte

// roomShard owns the rooms whose name hashes to it.
type roomShard[M comparable] struct {
	mu    sync.RWMutex
	rooms map[Room]*roomSet[M]
	_     pad
}

// memberShard owns the reverse entries (member → rooms) of the members
// that hash to it. Entries live in a dense slice so that enumerating every
// member is a slice walk, with pos mapping a member to its index.
// addedNoRooms is the room list shared by every entry of this shard that
// was added and is in no room (see memberEntry); it never changes.
type memberShard[M comparable] struct {
	mu           sync.RWMutex
	list         []memberEntry[M]
	pos          map[M]int32
	addedNoRooms roomList[M]
	_            pad
}
