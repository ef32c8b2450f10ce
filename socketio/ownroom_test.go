package socketio

import (
	"slices"
	"testing"
)

// reached emits through op and returns the indexes of the fixture sockets
// that received it (each must receive it at most once).
func reached(t *testing.T, h *harness, fs []*fakeES, op BroadcastOperator) []int {
	t.Helper()
	before := make([]int, len(fs))
	for i, f := range fs {
		f.mu.Lock()
		before[i] = len(f.sent)
		f.mu.Unlock()
	}
	if err := op.Emit("ev"); err != nil {
		t.Fatal(err)
	}
	h.loop.Do(func() {})
	var got []int
	for i, f := range fs {
		f.mu.Lock()
		n := len(f.sent) - before[i]
		f.read = len(f.sent)
		f.mu.Unlock()
		if n > 1 {
			t.Fatalf("socket %d received the broadcast %d times", i, n)
		}
		if n == 1 {
			got = append(got, i)
		}
	}
	return got
}

// TestOwnRoomSemantics: a socket's own room is not stored in the room index
// but must behave as Node's: selectable by id alone or with other rooms,
// once, excluded by id, left and joined again, counted, listed first, and a
// room named like another socket's id is the union of both.
func TestOwnRoomSemantics(t *testing.T) {
	h := newHarness(t, Config{})
	fs, ss := roomFixture(t, h, 4)
	a := h.srv.Sockets().adapter.(*MemoryAdapter)
	ss[1].Join("r")
	ss[2].Join("r")
	id0, id1 := ss[0].ID(), ss[1].ID()
	cases := []struct {
		name string
		op   BroadcastOperator
		want []int
	}{
		{"to id", h.srv.To(id0), []int{0}},
		{"to id twice", h.srv.To(id0, id0), []int{0}},
		{"to id and its room", h.srv.To(id1, "r"), []int{1, 2}},
		{"room except id", h.srv.To("r").Except(id1), []int{2}},
		{"id except room", h.srv.To(id1).Except("r"), nil},
		{"id except itself", h.srv.To(id0).Except(id0), nil},
		{"all except two ids", h.srv.Except(id0, id1), []int{2, 3}},
		{"broadcast from 3", ss[3].Broadcast(), []int{0, 1, 2}},
		{"unknown id", h.srv.To("00000000000000000000"), nil},
	}
	for _, c := range cases {
		if got := reached(t, h, fs, c.op); !slices.Equal(got, c.want) {
			t.Errorf("%s: reached %v, want %v", c.name, got, c.want)
		}
	}
	if n := a.Len(id0); n != 1 {
		t.Errorf("Len(own room) = %d, want 1", n)
	}
	if rs := ss[1].Rooms(); !slices.Equal(rs, []Room{id1, "r"}) {
		t.Errorf("Rooms() = %v, want own room first then r", rs)
	}
	if got := a.Sockets([]Room{id0, "r"}); len(got) != 3 {
		t.Errorf("Sockets(id0, r) = %v, want 3 ids", got)
	}

	// Leaving the own room: not reachable by id any more, still by all
	// (Node keeps the socket in its sids), and back after joining it again.
	ss[0].Leave(id0)
	if got := reached(t, h, fs, h.srv.To(id0)); got != nil {
		t.Errorf("to id after Leave(id): reached %v", got)
	}
	if got := reached(t, h, fs, h.srv.Sockets().op()); !slices.Equal(got, []int{0, 1, 2, 3}) {
		t.Errorf("all after Leave(id): reached %v", got)
	}
	if n := a.Len(id0); n != 0 || len(ss[0].Rooms()) != 0 {
		t.Errorf("after Leave(id): Len %d, Rooms %v", n, ss[0].Rooms())
	}
	ss[0].Join(id0)
	if got := reached(t, h, fs, h.srv.To(id0)); !slices.Equal(got, []int{0}) {
		t.Errorf("to id after Join(id): reached %v", got)
	}

	// Another socket joining a room named like socket 0's id.
	ss[3].Join(id0)
	if got := reached(t, h, fs, h.srv.To(id0)); !slices.Equal(got, []int{0, 3}) {
		t.Errorf("to id joined by another: reached %v", got)
	}
	if n := a.Len(id0); n != 2 {
		t.Errorf("Len = %d, want 2", n)
	}
}

// TestOwnRoomHooks: the own room fires the hooks Node fires for it: create
// and join at connect, delete and leave at disconnect.
func TestOwnRoomHooks(t *testing.T) {
	var events []string
	h := newHarness(t, Config{NewAdapter: func(n *Namespace) Adapter {
		return NewMemoryAdapterWithHooks(n, MemoryAdapterHooks{
			OnCreateRoom: func(r Room) { events = append(events, "create "+r) },
			OnDeleteRoom: func(r Room) { events = append(events, "delete "+r) },
			OnJoinRoom:   func(r Room, id string) { events = append(events, "join "+r+" "+id) },
			OnLeaveRoom:  func(r Room, id string) { events = append(events, "leave "+r+" "+id) },
		})
	}})
	fs, ss := roomFixture(t, h, 1)
	id := ss[0].ID()
	want := []string{"create " + id, "join " + id + " " + id}
	if !slices.Equal(events, want) {
		t.Fatalf("connect: %v, want %v", events, want)
	}
	events = nil
	ss[0].Join(id) // already in it: nothing
	fs[0].closeFromPeer("transport close")
	h.loop.Do(func() {})
	want = []string{"delete " + id, "leave " + id + " " + id}
	if !slices.Equal(events, want) {
		t.Fatalf("disconnect: %v, want %v", events, want)
	}
}
