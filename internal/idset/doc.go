// Package idset is a hash set of pointers to elements that carry their own
// string key, such as sessions and sockets keyed by their id.
//
// A Go map from id to pointer stores the key's string header next to the
// pointer: 24 bytes a slot, about 40 per entry on average once growth is
// counted. The servers built on it hold one entry per idle connection in
// two such maps, so this set stores only the pointer and a tag byte (9 bytes
// a slot, 12 to 24 per entry) and reads the key through the pointer when
// the tag matches. Open addressing with linear probing and backward-shift
// deletion: no tombstones, so lookups stay short after any number of
// removals.
//
// A Set is not safe for concurrent use; its owners guard it with their own
// locks. An element's key must not change while it is in a set.
package idset
