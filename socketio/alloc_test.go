//go:build !race

package socketio

import (
	"testing"
)

func TestAllocBroadcastIndependentOfRecipients(t *testing.T) {
	var perRun []float64
	for _, n := range []int{100, 10000} {
		srv, fs := benchServer(t, n, 4, nil)
		before := fs[0].writes.Load()
		allocs := testing.AllocsPerRun(20, func() { _ = srv.Emit("news", "hello", 42) })
		if got := fs[0].writes.Load() - before; got != 21 {
			t.Fatalf("recipient got %d writes", got)
		}
		perRun = append(perRun, allocs)
		if allocs >= 20 {
			t.Fatalf("%d recipients: %.0f allocs per broadcast", n, allocs)
		}
	}
	if perRun[1] > perRun[0]+2 {
		t.Fatalf("allocations grow with recipients: %v", perRun)
	}
	t.Logf("allocs per broadcast (100, 10000 recipients): %v", perRun)
}

func TestAllocBroadcastNoRecipientNoEncoding(t *testing.T) {
	srv, _ := benchServer(t, 10, 1, nil)
	allocs := testing.AllocsPerRun(50, func() { _ = srv.To("empty-room").Emit("x", "y") })
	if allocs > 3 { // operator rooms, options, enumerate callback; no packet, no Prepared
		t.Fatalf("%.0f allocs for a broadcast with no recipient", allocs)
	}
}

func TestAllocEchoPath(t *testing.T) {
	srv, fs := benchServer(t, 1, 1, func(srv *Server) {
		srv.OnConnection(func(s *Socket) {
			s.On("echo", func(s *Socket, a Args, _ AckFunc) { _ = s.Emit("echo", a) })
			s.On("ack", func(_ *Socket, a Args, ack AckFunc) { ack(a) })
			s.On("read", func(_ *Socket, a Args, _ AckFunc) { // the Args lease costs no allocation
				if n, ok := a.Int(0); !ok || n != 7 || a.Err() != nil {
					panic("read")
				}
			})
		})
	})
	_ = srv
	f := fs[0]
	echo := []byte(`2["echo","hello",{"n":1}]`)
	ack := []byte(`217["ack","hello",{"n":1}]`)
	read := []byte(`2["read",7]`)
	tests := []struct {
		name string
		msg  []byte
		max  float64
	}{{"emit echo", echo, 4}, {"ack echo", ack, 6}, {"read", read, 0}}
	for _, tc := range tests {
		allocs := testing.AllocsPerRun(100, func() { f.onMsg(tc.msg, false) })
		t.Logf("%s: %.1f allocs", tc.name, allocs)
		if allocs > tc.max {
			t.Fatalf("%s: %.1f allocs, want <= %.0f", tc.name, allocs, tc.max)
		}
	}
}

// countingArg counts how often a broadcast serialises it.
type countingArg struct{ n *int }

func (c countingArg) MarshalJSON() ([]byte, error) { *c.n++; return []byte(`"x"`), nil }

// TestAllocBroadcastSerialisesOnceOrNever: arguments are serialised once per
// broadcast however many sockets receive it, and not at all when none does.
func TestAllocBroadcastSerialisesOnceOrNever(t *testing.T) {
	srv, fs := benchServer(t, 10, 2, nil)
	n := 0
	arg := countingArg{&n}
	var one string
	for s := range srv.Sockets().sockets.All() {
		one = s.id
		break
	}
	if err := srv.To("empty-room").Emit("x", arg); err != nil || n != 0 {
		t.Fatalf("empty room: serialised %d times (err %v)", n, err)
	}
	if err := srv.Except(one).To(one).Emit("x", arg); err != nil || n != 0 {
		t.Fatalf("only recipient excluded: serialised %d times (err %v)", n, err)
	}
	before := fs[3].writes.Load()
	if err := srv.Emit("x", arg); err != nil || n != 1 {
		t.Fatalf("10 recipients: serialised %d times (err %v)", n, err)
	}
	if fs[3].writes.Load() != before+1 {
		t.Fatal("recipient did not receive the broadcast")
	}
}
