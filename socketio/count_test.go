package socketio

import (
	"math/rand/v2"
	"regexp"
	"testing"
)

// listingAdapter hides the MemoryAdapter's CountLocal: countLocal then
// counts from the listed ids, as for a third-party adapter.
type listingAdapter struct{ Adapter }

// TestCountLocalIsWhatClientsReceive: for every selection of overlapping
// rooms, socket ids, empty and missing rooms (in and except, an empty in
// being the whole namespace), CountLocal equals the number of sockets the
// broadcast reaches, with the adapter's counter and with the listing
// fallback. Sockets that do not receive broadcasts (disconnected, or with
// middlewares still running) are in rooms but not counted.
func TestCountLocalIsWhatClientsReceive(t *testing.T) {
	h := newHarness(t, Config{})
	fs, ss := roomFixture(t, h, 8)
	a := h.srv.Sockets().adapter.(*MemoryAdapter)
	for i, rs := range [][]Room{{"a"}, {"a"}, {"a", "b"}, {"b"}, {"d"}, {"a", "b", "d"}, {"b"}, {"a"}} {
		ss[i].Join(rs...)
	}
	ss[6].Disconnect(false) // gone from its rooms
	h.loop.Do(func() {})
	ss[7].state.Store(stateConnecting) // still in "a", not yet receiving
	defer ss[7].state.Store(stateConnected)
	names := []Room{"a", "b", "d", "empty", ss[0].ID(), ss[2].ID(), ss[6].ID(), ss[7].ID()}

	rng := rand.New(rand.NewPCG(1, 2))
	pick := func() []Room {
		var rs []Room
		for _, r := range names {
			if rng.IntN(3) == 0 {
				rs = append(rs, r)
			}
		}
		return rs
	}
	for range 300 {
		in, except := pick(), pick()
		op := h.srv.To(in...).Except(except...)
		want := len(reached(t, h, fs, op))
		if got := op.CountLocal(); got != want {
			t.Fatalf("To(%v).Except(%v): CountLocal %d, clients reached %d", in, except, got, want)
		}
		opts := op.options()
		if got := countLocal(listingAdapter{a}, &opts); got != want {
			t.Fatalf("To(%v).Except(%v): listing count %d, clients reached %d", in, except, got, want)
		}
	}
	if n := h.srv.Sockets().op().CountLocal(); n != 6 {
		t.Fatalf("whole namespace: %d, want 6 (8 minus the disconnected and the connecting)", n)
	}
}

// TestCountLocalParentNamespace: a parent namespace's operator counts the
// sockets of every child.
func TestCountLocalParentNamespace(t *testing.T) {
	h := newHarness(t, Config{})
	parent := h.srv.OfRegexp(regexp.MustCompile(`^/dyn-\d+$`))
	for _, nsp := range []string{"/dyn-1", "/dyn-2", "/dyn-2"} {
		f := h.dial(4)
		f.in("40" + nsp + ",")
		f.next(t, 1)
	}
	if n := parent.To().CountLocal(); n != 3 {
		t.Fatalf("parent CountLocal = %d, want 3", n)
	}
}
