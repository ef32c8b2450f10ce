package engineio

import (
	"hash/maphash"
	"sync"

	"github.com/sio-fast/sio-fast/internal/idset"
)

// registry maps session ids to sessions. Polling requests of one session
// arrive on any loop, so lookups are concurrent; sharding keeps them from
// contending on one lock. Each shard is an idset: about 25 bytes less per
// session than a map from id to session. The shards hash with the
// registry's seed, so a lookup hashes its id once, for the shard and the
// slot (shardOf keeps their bits apart).
type registry struct {
	seed   maphash.Seed
	shards [64]registryShard
}

type registryShard struct {
	mu sync.RWMutex
	m  *idset.Set[Socket]
}

func newRegistry() *registry {
	r := &registry{seed: maphash.MakeSeed()}
	for i := range r.shards {
		r.shards[i].m = idset.NewSeeded((*Socket).ID, r.seed)
	}
	return r
}

// shardOf returns the shard of the id whose hash is h. The shard is taken
// from bits 32 to 37: an idset uses the low bits (the slot) and the top
// seven (the tags), which must still vary among one shard's ids.
func (r *registry) shardOf(h uint64) *registryShard {
	return &r.shards[h>>32&63]
}

// shardOfID hashes like get: maphash gives equal strings and byte slices
// the same hash.
func (r *registry) shardOfID(id string) *registryShard {
	return r.shardOf(maphash.String(r.seed, id))
}

func (r *registry) get(id []byte) *Socket {
	h := maphash.Bytes(r.seed, id)
	sh := r.shardOf(h)
	sh.mu.RLock()
	s := sh.m.GetHashed(h, id)
	sh.mu.RUnlock()
	return s
}

// add stores s unless its id is taken; it reports success.
func (r *registry) add(s *Socket) bool {
	sh := r.shardOfID(s.id)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return sh.m.Add(s)
}

func (r *registry) remove(s *Socket) {
	sh := r.shardOfID(s.id)
	sh.mu.Lock()
	sh.m.Remove(s)
	sh.mu.Unlock()
}

func (r *registry) count() int {
	n := 0
	for i := range r.shards {
		sh := &r.shards[i]
		sh.mu.RLock()
		n += sh.m.Len()
		sh.mu.RUnlock()
	}
	return n
}

func (r *registry) all() []*Socket {
	var out []*Socket
	for i := range r.shards {
		sh := &r.shards[i]
		sh.mu.RLock()
		for s := range sh.m.All() {
			out = append(out, s)
		}
		sh.mu.RUnlock()
	}
	return out
}
