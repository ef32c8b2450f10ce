package idset

import (
	"fmt"
	"hash/maphash"
	"math/rand/v2"
	"runtime"
	"testing"
)

type item struct{ id string }

func itemKey(i *item) string { return i.id }

// check compares s with the model: same length, every model element found
// by both lookups, and All yields exactly the model's elements.
func check(t testing.TB, s *Set[item], model map[string]*item) {
	t.Helper()
	if s.Len() != len(model) {
		t.Fatalf("Len = %d, want %d", s.Len(), len(model))
	}
	for id, e := range model {
		if s.Get(id) != e || s.GetBytes([]byte(id)) != e || s.GetHashed(maphash.String(s.seed, id), []byte(id)) != e {
			t.Fatalf("Get(%q) lost the element", id)
		}
	}
	n := 0
	for e := range s.All() {
		if model[e.id] != e {
			t.Fatalf("All yielded %q, not in the model", e.id)
		}
		n++
	}
	if n != len(model) {
		t.Fatalf("All yielded %d, want %d", n, len(model))
	}
}

// apply runs one operation on both the set and the model.
func apply(t testing.TB, s *Set[item], model map[string]*item, op byte, id string) {
	t.Helper()
	switch op % 3 {
	case 0, 1:
		e := &item{id}
		_, dup := model[id]
		if s.Add(e) == dup {
			t.Fatalf("Add(%q) = %v with duplicate %v", id, !dup, dup)
		}
		if !dup {
			model[id] = e
		}
	case 2:
		if e, ok := model[id]; ok {
			if s.Remove(&item{id}) {
				t.Fatalf("Remove of a different element with key %q removed it", id)
			}
			if !s.Remove(e) {
				t.Fatalf("Remove(%q) failed", id)
			}
			delete(model, id)
		} else if s.Remove(&item{id}) {
			t.Fatalf("Remove(%q) of an absent key succeeded", id)
		}
	}
	if s.Get(id) != model[id] || s.GetHashed(maphash.String(s.seed, id), []byte(id)) != model[id] {
		t.Fatalf("after op %d on %q: Get disagrees with the model", op%3, id)
	}
}

func TestSetAgainstMap(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	s, model := New(itemKey), map[string]*item{}
	for step := range 200_000 {
		// Few distinct keys for many collisions and removals, growing and
		// shrinking through every table size.
		keys := 1 + step/1000%600
		apply(t, s, model, byte(r.IntN(3)), fmt.Sprint(r.IntN(keys)))
		if step%5000 == 0 {
			check(t, s, model)
		}
	}
	check(t, s, model)
	for id, e := range model {
		s.Remove(e)
		delete(model, id)
	}
	check(t, s, model)
	if len(s.slots) != minSlots {
		t.Fatalf("emptied set keeps %d slots", len(s.slots))
	}
}

func TestEmptySet(t *testing.T) {
	s := New(itemKey)
	if s.Get("x") != nil || s.GetBytes([]byte("x")) != nil || s.Remove(&item{"x"}) || s.Len() != 0 {
		t.Fatal("empty set is not empty")
	}
	for range s.All() {
		t.Fatal("empty set yielded an element")
	}
}

func TestLookupZeroAlloc(t *testing.T) {
	s := New(itemKey)
	for i := range 1000 {
		s.Add(&item{fmt.Sprint(i)})
	}
	b := []byte("500")
	if n := testing.AllocsPerRun(100, func() {
		if s.Get("500") == nil || s.GetBytes(b) == nil {
			t.Fatal("lost")
		}
	}); n != 0 {
		t.Fatalf("%v allocations per lookup", n)
	}
}

// FuzzSet drives random operations from the fuzzer's bytes: each pair is an
// operation and a key out of 16.
func FuzzSet(f *testing.F) {
	f.Add([]byte{0, 1, 0, 2, 2, 1, 0, 3, 2, 2})
	f.Fuzz(func(t *testing.T, ops []byte) {
		s, model := New(itemKey), map[string]*item{}
		for i := 0; i+1 < len(ops); i += 2 {
			apply(t, s, model, ops[i], fmt.Sprint(ops[i+1]%16))
		}
		check(t, s, model)
	})
}

// BenchmarkMemoryPerEntry compares the live heap per entry of a Set with a
// map from id to pointer, at the scale of a busy server: measured (the heap
// a built table keeps after a GC, over the entries' own memory), not
// computed from the layout. The loop times building one.
func BenchmarkMemoryPerEntry(b *testing.B) {
	const n = 100_000
	items := make([]*item, n)
	for i := range items {
		items[i] = &item{fmt.Sprintf("%020d", i)}
	}
	buildSet := func() any {
		s := New(itemKey)
		for _, e := range items {
			s.Add(e)
		}
		return s
	}
	buildMap := func() any {
		m := map[string]*item{}
		for _, e := range items {
			m[e.id] = e
		}
		return m
	}
	for _, c := range []struct {
		name  string
		build func() any
	}{{"idset", buildSet}, {"map", buildMap}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				c.build()
			}
			b.ReportMetric(liveBytes(c.build)/n, "B/entry")
		})
	}
}

// liveBytes returns the heap that what build returns keeps alive.
func liveBytes(build func() any) float64 {
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	before := ms.HeapAlloc
	v := build()
	runtime.GC()
	runtime.ReadMemStats(&ms)
	runtime.KeepAlive(v)
	return float64(ms.HeapAlloc) - float64(before)
}

func BenchmarkGet(b *testing.B) {
	const n = 10_000
	s, m := New(itemKey), map[string]*item{}
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("%020d", i)
		e := &item{ids[i]}
		s.Add(e)
		m[e.id] = e
	}
	b.Run("idset", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			_ = s.Get(ids[i%n])
			i++
		}
	})
	b.Run("map", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			_ = m[ids[i%n]]
			i++
		}
	})
}
