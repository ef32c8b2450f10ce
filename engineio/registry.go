package engineio

import (
	"hash/maphash"
	"sync"

	"github.com/sio-fast/sio-fast/internal/idset"
)

// registry maps session ids to sessions. Polling requests of one session
// arrive on any loop, so lookups are concurrent; sharding keeps them from
// contending on one lock. Each shard is an idset: about 25 bytes less per
// session than a map from id to session.
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
		r.shards[i].m = idset.New((*Socket).ID)
	}
	return r
}

func (r *registry) shard(id []byte) *registryShard {
	return &r.shards[maphash.Bytes(r.seed, id)&63]
}

// shardOf hashes like shard: maphash gives equal strings and byte slices the
// same hash.
func (r *registry) shardOf(id string) *registryShard {
	return &r.shards[maphash.String(r.seed, id)&63]
}

func (r *registry) get(id []byte) *Socket {
	sh := r.shard(id)
	sh.mu.RLock()
	s := sh.m.GetBytes(id)
	sh.mu.RUnlock()
	return s
}

// add stores s unless its id is taken; it reports success.
func (r *registry) add(s *Socket) bool {
	sh := r.shardOf(s.id)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return sh.m.Add(s)
}

func (r *registry) remove(s *Socket) {
	sh := r.shardOf(s.id)
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
