//go:build !race

package socketio

import "testing"

// TestAllocCountLocal: counting the recipients of a 10,000-member room,
// with and without except rooms and for the whole namespace, allocates
// nothing, through the adapter and through an operator.
func TestAllocCountLocal(t *testing.T) {
	srv, _ := benchServer(t, 10000, 4, nil)
	ss := srv.Sockets().Sockets()
	for i, s := range ss {
		s.Join("big")
		if i%10 == 0 {
			s.Join("tenth")
		}
	}
	a := srv.Sockets().adapter.(*MemoryAdapter)
	cases := []struct {
		name string
		opts BroadcastOptions
		want int
	}{
		{"room", BroadcastOptions{Rooms: []Room{"big"}}, 10000},
		{"room except room and id", BroadcastOptions{Rooms: []Room{"big", "none"}, Except: []Room{"tenth", ss[1].ID()}}, 8999},
		{"namespace", BroadcastOptions{}, 10000},
	}
	for _, c := range cases {
		if n := a.CountLocal(&c.opts); n != c.want {
			t.Fatalf("%s: %d, want %d", c.name, n, c.want)
		}
		if allocs := testing.AllocsPerRun(20, func() { a.CountLocal(&c.opts) }); allocs != 0 {
			t.Errorf("%s: %.0f allocs per count", c.name, allocs)
		}
		op := srv.To(c.opts.Rooms...).Except(c.opts.Except...)
		if allocs := testing.AllocsPerRun(20, func() { op.CountLocal() }); allocs != 0 {
			t.Errorf("%s: operator: %.0f allocs per count", c.name, allocs)
		}
	}
}
