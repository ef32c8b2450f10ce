package idset

import (
	"hash/maphash"
	"iter"
)

// minSlots is the smallest table; an empty Set allocates nothing.
const minSlots = 8

// Set holds pointers to elements keyed by key(element). Make one with New.
type Set[T any] struct {
	slots []*T
	// tags holds 7 bits of each slot's hash, with the low bit set; 0 marks
	// an empty slot. Probes compare tags first and read an element's key
	// only on a match: most probes then touch no element's memory.
	tags []uint8
	n    int
	key  func(*T) string
	seed maphash.Seed
}

// New returns an empty set keyed by key.
func New[T any](key func(*T) string) *Set[T] {
	return &Set[T]{key: key, seed: maphash.MakeSeed()}
}

// NewSeeded is New with the seed of the set's hashes given: a caller that
// hashes a key with seed anyway (to pick one of several sets) passes that
// hash to GetHashed rather than have the set hash the key again. The set
// uses the hash's low bits and top seven: such a caller picks with others.
func NewSeeded[T any](key func(*T) string, seed maphash.Seed) *Set[T] {
	return &Set[T]{key: key, seed: seed}
}

// Len returns the number of elements.
func (s *Set[T]) Len() int { return s.n }

// Get returns the element with key id, or nil.
func (s *Set[T]) Get(id string) *T {
	if s.n == 0 {
		return nil
	}
	h := maphash.String(s.seed, id)
	tag, mask := tagOf(h), len(s.slots)-1
	for i := s.home(h); s.tags[i] != 0; i = (i + 1) & mask {
		if s.tags[i] == tag && s.key(s.slots[i]) == id {
			return s.slots[i]
		}
	}
	return nil
}

// GetBytes is Get with the key as bytes, without converting it.
func (s *Set[T]) GetBytes(id []byte) *T {
	if s.n == 0 {
		return nil
	}
	return s.GetHashed(maphash.Bytes(s.seed, id), id)
}

// GetHashed is GetBytes for a key whose hash, maphash.Bytes with the
// set's seed (see NewSeeded), is h.
func (s *Set[T]) GetHashed(h uint64, id []byte) *T {
	if s.n == 0 {
		return nil
	}
	tag, mask := tagOf(h), len(s.slots)-1
	for i := s.home(h); s.tags[i] != 0; i = (i + 1) & mask {
		if s.tags[i] == tag && s.key(s.slots[i]) == string(id) {
			return s.slots[i]
		}
	}
	return nil
}

// Add inserts e unless an element with its key is present; it reports
// whether e was added.
func (s *Set[T]) Add(e *T) bool {
	if (s.n+1)*4 > len(s.slots)*3 { // keep the load at most 3/4
		s.resize(max(2*len(s.slots), minSlots))
	}
	id := s.key(e)
	h := maphash.String(s.seed, id)
	tag, mask := tagOf(h), len(s.slots)-1
	i := s.home(h)
	for ; s.tags[i] != 0; i = (i + 1) & mask {
		if s.tags[i] == tag && s.key(s.slots[i]) == id {
			return false
		}
	}
	s.slots[i], s.tags[i] = e, tag
	s.n++
	return true
}

// Remove removes e if it is the element stored under its key, and reports
// whether it did.
func (s *Set[T]) Remove(e *T) bool {
	if s.n == 0 {
		return false
	}
	mask := len(s.slots) - 1
	i := s.home(maphash.String(s.seed, s.key(e)))
	for ; s.slots[i] != e; i = (i + 1) & mask {
		if s.tags[i] == 0 {
			return false
		}
	}
	s.deleteAt(i)
	s.n--
	if len(s.slots) > minSlots && s.n*8 < len(s.slots) { // under 1/8: halve
		s.resize(len(s.slots) / 2)
	}
	return true
}

// All yields every element, in no particular order. The set must not be
// changed during the iteration.
func (s *Set[T]) All() iter.Seq[*T] {
	return func(yield func(*T) bool) {
		for _, e := range s.slots {
			if e != nil && !yield(e) {
				return
			}
		}
	}
}

func (s *Set[T]) home(h uint64) int { return int(h & uint64(len(s.slots)-1)) }

func tagOf(h uint64) uint8 { return uint8(h>>57)<<1 | 1 }

// deleteAt empties slot i and moves later elements of the same probe run
// back, so that every element stays reachable from its home slot without
// tombstones (Knuth's algorithm R).
func (s *Set[T]) deleteAt(i int) {
	mask := len(s.slots) - 1
	for j := (i + 1) & mask; s.tags[j] != 0; j = (j + 1) & mask {
		h := s.home(maphash.String(s.seed, s.key(s.slots[j])))
		// Move slot j into the hole at i unless its home lies cyclically
		// in (i, j]: from there it could not reach i.
		if (j > i && (h <= i || h > j)) || (j < i && h <= i && h > j) {
			s.slots[i], s.tags[i] = s.slots[j], s.tags[j]
			i = j
		}
	}
	s.slots[i], s.tags[i] = nil, 0
}

func (s *Set[T]) resize(n int) {
	old, oldTags := s.slots, s.tags
	s.slots, s.tags = make([]*T, n), make([]uint8, n)
	mask := n - 1
	for k, e := range old {
		if oldTags[k] == 0 {
			continue
		}
		i := s.home(maphash.String(s.seed, s.key(e)))
		for s.tags[i] != 0 {
			i = (i + 1) & mask
		}
		s.slots[i], s.tags[i] = e, oldTags[k]
	}
}
