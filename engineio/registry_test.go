package engineio

import (
	"math/rand/v2"
	"testing"
)

// TestRegistryLookups: every session added is found by its id as bytes
// (get hashes once for its shard and its slot, add and remove hash the id
// string: both must land on the same shard and slot), the shards share
// the sessions evenly, and removed or unknown ids are not found.
func TestRegistryLookups(t *testing.T) {
	const n = 10_000
	r, srv := newRegistry(), &Server{}
	socks := make([]*Socket, n)
	for i := range socks {
		socks[i] = &Socket{id: srv.newID()}
		if !r.add(socks[i]) {
			t.Fatalf("add %q failed", socks[i].id)
		}
	}
	if r.add(&Socket{id: socks[0].id}) {
		t.Fatal("a second session with a taken id was added")
	}
	for _, s := range socks {
		if r.get([]byte(s.id)) != s {
			t.Fatalf("get(%q) lost the session", s.id)
		}
	}
	for i := range r.shards {
		if l := r.shards[i].m.Len(); l < n/64/2 || l > n/64*2 {
			t.Errorf("shard %d holds %d sessions of %d", i, l, n)
		}
	}
	for _, s := range socks[:n/2] {
		r.remove(s)
	}
	for i, s := range socks {
		if got := r.get([]byte(s.id)); (got == s) != (i >= n/2) {
			t.Fatalf("after removing half, get(%q) = %p", s.id, got)
		}
	}
	if r.count() != n/2 || r.get([]byte("unknown")) != nil {
		t.Fatalf("count %d, want %d", r.count(), n/2)
	}
}

// BenchmarkRegistryGet looks up 10,000 sessions by id, in a random order,
// as polling GETs do.
func BenchmarkRegistryGet(b *testing.B) {
	const n = 10_000
	r, srv := newRegistry(), &Server{}
	ids := make([][]byte, n)
	for i := range ids {
		s := &Socket{id: srv.newID()}
		r.add(s)
		ids[i] = []byte(s.id)
	}
	rand.New(rand.NewPCG(3, 4)).Shuffle(n, func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if r.get(ids[i]) == nil {
			b.Fatal("lost")
		}
		i = (i + 1) % n
	}
}
