package socketio

import (
	"sort"
	"testing"
	"time"

	"github.com/sio-fast/sio-fast/engineio"
)

// roomFixture connects n sockets to "/" and returns sessions and sockets.
func roomFixture(t *testing.T, h *harness, n int) ([]*fakeES, []*Socket) {
	t.Helper()
	ch := make(chan *Socket, n)
	h.srv.OnConnection(func(s *Socket) { ch <- s })
	var fs []*fakeES
	var ss []*Socket
	for range n {
		f := h.dial(4)
		f.in("40")
		f.next(t, 1)
		fs = append(fs, f)
		ss = append(ss, <-ch)
	}
	return fs, ss
}

func TestBroadcastRooms(t *testing.T) {
	h := newHarness(t, Config{})
	fs, ss := roomFixture(t, h, 4)
	ss[0].Join("a")
	ss[1].Join("a", "b")
	ss[2].Join("b")
	tests := []struct {
		name string
		op   BroadcastOperator
		want []int
	}{
		{"all", h.srv.Sockets().op(), []int{0, 1, 2, 3}},
		{"to a", h.srv.To("a"), []int{0, 1}},
		{"union once", h.srv.To("a").To("b").In("a"), []int{0, 1, 2}},
		{"except", h.srv.To("a", "b").Except("b"), []int{0}},
		{"except id room", h.srv.Except(ss[3].ID()), []int{0, 1, 2}},
		{"socket broadcast", ss[1].Broadcast(), []int{0, 2, 3}},
		{"socket to room", ss[1].To("b"), []int{2}},
		{"to socket id", h.srv.To(ss[2].ID()), []int{2}},
		{"missing room", h.srv.To("zzz"), nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.op.Emit("ev", tc.name); err != nil {
				t.Fatal(err)
			}
			h.loop.Do(func() {})
			for i, f := range fs {
				f.mu.Lock()
				n := len(f.sent) - f.read
				f.mu.Unlock()
				want := 0
				for _, w := range tc.want {
					if w == i {
						want = 1
					}
				}
				if n != want {
					t.Fatalf("socket %d got %d packets, want %d", i, n, want)
				}
				if n == 1 {
					f.expect(t, `42["ev","`+tc.name+`"]`)
				}
			}
		})
	}
}

func TestBroadcastBinaryAndNamespacePrefix(t *testing.T) {
	h := newHarness(t, Config{})
	nsp := h.srv.Of("/chat")
	f := h.dial(4)
	f.in("40/chat,")
	f.next(t, 1)
	_ = nsp.Emit("bin", []byte{1, 2, 3}, "x")
	f.expect(t, `451-/chat,["bin",{"_placeholder":true,"num":0},"x"]`, "bAQID")
}

func TestVolatile(t *testing.T) {
	h := newHarness(t, Config{})
	fs, ss := roomFixture(t, h, 2)
	fs[1].notWritable.Store(true)
	_ = h.srv.Volatile().Emit("v")
	_ = ss[1].Volatile().Emit("v2")
	_ = ss[0].Volatile().Emit("v3")
	h.loop.Do(func() {})
	fs[0].expect(t, `42["v"]`, `42["v3"]`)
	fs[1].expectNone(t, time.Millisecond)
}

func TestFetchJoinLeaveDisconnectSockets(t *testing.T) {
	h := newHarness(t, Config{})
	fs, ss := roomFixture(t, h, 3)
	ss[0].Join("r")
	ss[1].Join("r")
	got, err := h.srv.In("r").FetchSockets()
	if err != nil || len(got) != 2 {
		t.Fatalf("%d %v", len(got), err)
	}
	h.srv.In("r").SocketsJoin("s")
	if rs := ss[1].Rooms(); !contains(rs, "s") || !contains(rs, ss[1].ID()) {
		t.Fatalf("rooms %v", rs)
	}
	h.srv.SocketsLeave("r")
	if rs := ss[0].Rooms(); contains(rs, "r") {
		t.Fatalf("rooms %v", rs)
	}
	reasons := make(chan DisconnectReason, 3)
	for _, s := range ss {
		s.OnDisconnect(func(_ *Socket, r DisconnectReason) { reasons <- r })
	}
	h.srv.In("s").DisconnectSockets(false)
	h.loop.Do(func() {})
	fs[0].expect(t, "41")
	fs[1].expect(t, "41")
	for range 2 {
		if r := <-reasons; r != ReasonServerNamespaceDisconnect {
			t.Fatalf("reason %q", r)
		}
	}
	if n := h.srv.Sockets().NumSockets(); n != 1 {
		t.Fatalf("%d sockets left", n)
	}
	h.srv.DisconnectSockets(true)
	fs[2].waitClosed(t, time.Second)
	fs[2].expect(t, "41")
}

func contains(rs []Room, r Room) bool {
	sort.Strings(rs)
	i := sort.SearchStrings(rs, r)
	return i < len(rs) && rs[i] == r
}

func TestRoomHooks(t *testing.T) {
	var events []string
	h := newHarness(t, Config{NewAdapter: func(n *Namespace) Adapter {
		return NewMemoryAdapterWithHooks(n, MemoryAdapterHooks{
			OnCreateRoom: func(r Room) { events = append(events, "create "+r) },
			OnDeleteRoom: func(r Room) { events = append(events, "delete "+r) },
			OnJoinRoom:   func(r Room, _ string) { events = append(events, "join "+r) },
			OnLeaveRoom:  func(r Room, _ string) { events = append(events, "leave "+r) },
		})
	}})
	_, ss := roomFixture(t, h, 1)
	events = nil
	ss[0].Join("x")
	ss[0].Leave("x")
	want := []string{"create x", "join x", "delete x", "leave x"}
	if len(events) != 4 {
		t.Fatalf("events %v", events)
	}
	for i := range want {
		if events[i] != want[i] {
			t.Fatalf("events %v", events)
		}
	}
}

// compress(false) reaches the engine as Message.NoCompress, for a socket's
// emit and for a broadcast (with its attachment), and only for those.
func TestCompressFalseMarksMessages(t *testing.T) {
	h := newHarness(t, Config{})
	fs, ss := roomFixture(t, h, 1)
	f := fs[0]
	sent := func(n int) []engineio.Message {
		f.next(t, n)
		f.mu.Lock()
		defer f.mu.Unlock()
		return append([]engineio.Message(nil), f.sent[len(f.sent)-n:]...)
	}
	_ = ss[0].Emit("a")
	_ = ss[0].Compress(false).Emit("b")
	_ = ss[0].Volatile().Compress(false).Emit("c")
	_ = h.srv.Compress(false).Emit("d", []byte{1})
	_ = h.srv.Compress(true).Emit("e")
	h.loop.Do(func() {})
	got := sent(6)
	want := []bool{false, true, true, true, true, false}
	for i, m := range got {
		if m.NoCompress != want[i] {
			t.Fatalf("message %d (%q): NoCompress %v, want %v", i, wireOf(m), m.NoCompress, want[i])
		}
	}
}
