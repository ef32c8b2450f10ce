package rooms

import (
	"fmt"
	"slices"
	"testing"
)

// fixture: members 1..6 in overlapping rooms.
//
//	a: 1 2 3      b: 2 3 4      c: 5      self1: 1   self2: 2   big: 1..6
func enumFixture() *Index[int] {
	ix := New[int](4)
	ix.Join(1, "a", "self1", "big")
	ix.Join(2, "a", "b", "self2", "big")
	ix.Join(3, "a", "b", "big")
	ix.Join(4, "b", "big")
	ix.Join(5, "c", "big")
	ix.Join(6, "big")
	return ix
}

func TestEnumerateUnionExcept(t *testing.T) {
	ix := enumFixture()
	tests := []struct {
		name       string
		in, except []Room
		want       []int
	}{
		{"one room", []Room{"a"}, nil, []int{1, 2, 3}},
		{"union dedups", []Room{"a", "b"}, nil, []int{1, 2, 3, 4}},
		{"union reversed", []Room{"b", "a"}, nil, []int{1, 2, 3, 4}},
		{"same room twice", []Room{"a", "a", "a"}, nil, []int{1, 2, 3}},
		{"missing room", []Room{"nope"}, nil, nil},
		{"missing among others", []Room{"nope", "c", "nope2"}, nil, []int{5}},
		{"superset after subset", []Room{"a", "big"}, nil, []int{1, 2, 3, 4, 5, 6}},
		{"subset after superset", []Room{"big", "a", "b"}, nil, []int{1, 2, 3, 4, 5, 6}},
		{"except small room", []Room{"a", "b"}, []Room{"self2"}, []int{1, 3, 4}},
		{"except two small rooms", []Room{"big"}, []Room{"self1", "self2"}, []int{3, 4, 5, 6}},
		{"except large room (map path)", []Room{"big"}, []Room{"a", "b", "c"}, []int{6}},
		{"except everything", []Room{"a"}, []Room{"big"}, nil},
		{"except itself", []Room{"a", "b"}, []Room{"a", "b"}, nil},
		{"except missing", []Room{"c"}, []Room{"nope"}, []int{5}},
		{"all members", nil, nil, []int{1, 2, 3, 4, 5, 6}},
		{"all except", nil, []Room{"b", "self1"}, []int{5, 6}},
		{"all except missing", nil, []Room{"nope"}, []int{1, 2, 3, 4, 5, 6}},
		{"many rooms (over stack buffers)",
			[]Room{"n1", "n2", "n3", "n4", "n5", "n6", "n7", "n8", "n9", "a", "c"},
			[]Room{"m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9", "self1"}, []int{2, 3, 5}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := collect(t, ix, tc.in, tc.except); !slices.Equal(got, tc.want) {
				t.Fatalf("Enumerate = %v, want %v", got, tc.want)
			}
			got := sorted(ix.AppendMembers(nil, tc.in, tc.except))
			if !slices.Equal(got, tc.want) {
				t.Fatalf("AppendMembers = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestEnumerateStops(t *testing.T) {
	ix := enumFixture()
	for _, in := range [][]Room{{"big"}, {"a", "b"}, nil} {
		for _, except := range [][]Room{nil, {"self1"}, {"c", "self2"}} {
			n := 0
			ix.Enumerate(in, except, func(int) bool { n++; return n < 2 })
			if n != 2 {
				t.Errorf("in %q except %q: fn called %d times after returning false", in, except, n)
			}
		}
	}
}

func TestAppendMembersAppends(t *testing.T) {
	ix := enumFixture()
	got := ix.AppendMembers([]int{-1}, []Room{"c"}, nil)
	if !slices.Equal(got, []int{-1, 5}) {
		t.Fatalf("AppendMembers = %v", got)
	}
}

// TestFanOutMayMutate shows the documented pattern: snapshot, then call
// back into the index while visiting.
func TestFanOutMayMutate(t *testing.T) {
	ix := enumFixture()
	for _, m := range ix.AppendMembers(nil, []Room{"big"}, nil) {
		ix.Leave(m, "big")
		ix.Join(m, "after")
	}
	if ix.Len("big") != 0 || ix.Len("after") != 6 {
		t.Fatalf("big=%d after=%d", ix.Len("big"), ix.Len("after"))
	}
	checkInvariants(t, ix)
}

func TestEnumeratePanicReleasesLocks(t *testing.T) {
	ix := enumFixture()
	for _, in := range [][]Room{{"a"}, nil} {
		func() {
			defer func() { _ = recover() }()
			ix.Enumerate(in, nil, func(int) bool { panic("boom") })
		}()
	}
	ix.Join(9, "a") // would deadlock if a lock leaked
	if !ix.Has(9, "a") {
		t.Fatal("join after panic failed")
	}
}

// Excluding answers for the except rooms that exist, and with nil when
// none does.
func TestExcluding(t *testing.T) {
	ix := New[int](4)
	ix.Join(1, "a")
	ix.Join(2, "a")
	ix.Join(2, "b")
	ix.Join(3, "c")
	ix.Excluding(nil, func(ex func(int) bool) {
		if ex != nil {
			t.Error("no except rooms: want nil")
		}
	})
	ix.Excluding([]Room{"nope"}, func(ex func(int) bool) {
		if ex != nil {
			t.Error("missing except room: want nil")
		}
	})
	ix.Excluding([]Room{"a", "nope", "c"}, func(ex func(int) bool) {
		for m, want := range map[int]bool{1: true, 2: true, 3: true, 4: false} {
			if ex(m) != want {
				t.Errorf("excluded(%d) = %v, want %v", m, !want, want)
			}
		}
	})
	big := make([]Room, 0, 20)
	for i := range 20 { // more than the excluder's inline members
		r := Room(fmt.Sprint("r", i))
		ix.Join(100+i, r)
		big = append(big, r)
	}
	ix.Excluding(big, func(ex func(int) bool) {
		if !ex(105) || ex(1) {
			t.Error("large except set")
		}
	})
}
