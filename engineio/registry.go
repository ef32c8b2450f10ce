package engineio

import (
	"hash/maphash"
	"sync"
)

// registry maps session ids to sessions. Polling requests of one session
// arrive on any loop, so lookups are concurrent; sharding keeps them from
// contending on one lock.
type registry struct {
	seed   maphash.Seed
	shards [64]registryShard
}

type registryShard struct {
	mu sync.RWMutex
	m  map[string]*Socket
}

func newRegistry() *registry {
	r := &registry{seed: maphash.MakeSeed()}
	for i := range r.shards {
		r.shards[i].m = make(map[string]*Socket)
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
	s := sh.m[string(id)] // no allocation: the compiler elides the conversion
	sh.mu.RUnlock()
	return s
}

// add stores s unless its id is taken; it reports success.
func (r *registry) add(s *Socket) bool {
	sh := r.shardOf(s.id)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if _, dup := sh.m[s.id]; dup {
		return false
	}
	sh.m[s.id] = s
	return true
}

func (r *registry) remove(s *Socket) {
	sh := r.shardOf(s.id)
	sh.mu.Lock()
	if sh.m[s.id] == s {
		delete(sh.m, s.id)
	}
	sh.mu.Unlock()
}

func (r *registry) count() int {
	n := 0
	for i := range r.shards {
		sh := &r.shards[i]
		sh.mu.RLock()
		n += len(sh.m)
		sh.mu.RUnlock()
	}
	return n
}

func (r *registry) all() []*Socket {
	var out []*Socket
	for i := range r.shards {
		sh := &r.shards[i]
		sh.mu.RLock()
		for _, s := range sh.m {
			out = append(out, s)
		}
		sh.mu.RUnlock()
	}
	return out
}
