package socketio

import (
	"context"
	"errors"
	"sort"
	"testing"
	"time"
)

// connectOne dials a v4 session, connects "/" and returns it with its socket.
func connectOne(t *testing.T, h *harness) (*fakeES, *Socket) {
	t.Helper()
	ch := make(chan *Socket, 1)
	h.srv.OnConnection(func(s *Socket) {
		select {
		case ch <- s:
		default:
		}
	})
	f := h.dial(4)
	f.in("40")
	f.next(t, 1)
	return f, <-ch
}

func TestServerToClientAck(t *testing.T) {
	h := newHarness(t, Config{})
	f, s := connectOne(t, h)
	got := make(chan string, 4)
	if err := s.EmitAck("q", func(err error, a Args) { v, _ := a.String(0); got <- v }, 1); err != nil {
		t.Fatal(err)
	}
	f.expect(t, `420["q",1]`)
	f.in(`43999["ignored"]`, `430["answer"]`, `430["duplicate"]`)
	if v := <-got; v != "answer" {
		t.Fatalf("ack %q", v)
	}
	// ack ids are per namespace and shared by sockets
	_ = s.EmitAck("q2", func(error, Args) {})
	f.expect(t, `421["q2"]`)
	select {
	case v := <-got:
		t.Fatalf("duplicate ack delivered: %q", v)
	case <-time.After(5 * time.Millisecond):
	}
}

func TestAckTimeout(t *testing.T) {
	h := newHarness(t, Config{})
	f, s := connectOne(t, h)
	errc := make(chan error, 1)
	_ = s.Timeout(10*time.Millisecond).EmitAck("slow", func(err error, _ Args) { errc <- err })
	f.next(t, 1)
	if err := <-errc; !errors.Is(err, ErrAckTimeout) || err.Error() != "operation has timed out" {
		t.Fatalf("err %v", err)
	}
	f.in(`430["late"]`) // ignored
}

func TestEmitWithAckBlocking(t *testing.T) {
	h := newHarness(t, Config{})
	f, s := connectOne(t, h)
	go func() {
		f.next(t, 1)
		f.in(`430[{"x":1},"y"]`)
	}()
	args, err := s.EmitWithAck(context.Background(), "q")
	if err != nil || args.Len() != 2 || string(args.Raw(0)) != `{"x":1}` || argString(args, 1) != "y" {
		t.Fatalf("args %v err %v", args, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Millisecond)
	defer cancel()
	if _, err := s.EmitWithAck(ctx, "never"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err %v", err)
	}
	s.mu.Lock()
	pending := len(s.acks)
	s.mu.Unlock()
	if pending != 0 { // without Timeout, only the context's end can free it
		t.Fatalf("%d acks still pending after the context ended", pending)
	}
}

func TestClientAckOnce(t *testing.T) {
	h := newHarness(t, Config{})
	h.srv.OnConnection(func(s *Socket) {
		s.On("twice", func(_ *Socket, _ Args, ack AckFunc) { ack("a"); ack("b") })
		s.On("later", func(s *Socket, args Args, ack AckFunc) {
			v, _ := args.String(0)
			s.Go(func() { time.Sleep(time.Millisecond); ack(v, []byte{1}) })
		})
	})
	f := h.dial(4)
	f.in("40")
	f.next(t, 1)
	f.in(`425["twice"]`)
	f.expect(t, `435["a"]`)
	f.in(`426["later","v"]`)
	f.expect(t, `461-6["v",{"_placeholder":true,"num":0}]`, "bAQ==")
	f.expectNone(t, 5*time.Millisecond)
}

func TestBroadcastAck(t *testing.T) {
	h := newHarness(t, Config{})
	var fs []*fakeES
	for range 3 {
		f := h.dial(4)
		f.in("40")
		f.next(t, 1)
		fs = append(fs, f)
	}
	type res struct {
		err error
		r   []Args
	}
	done := make(chan res, 1)
	err := h.srv.Timeout(time.Second).EmitAck("vote", func(err error, r []Args) { done <- res{err, r} })
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range fs {
		f.expect(t, `420["vote"]`) // one id for every recipient
		f.in(`430["` + string(rune('a'+i)) + `"]`)
	}
	r := <-done
	if r.err != nil || len(r.r) != 3 {
		t.Fatalf("%v %d", r.err, len(r.r))
	}
	var got []string
	for _, a := range r.r {
		got = append(got, argString(a, 0))
	}
	sort.Strings(got)
	if got[0] != "a" || got[2] != "c" {
		t.Fatalf("responses %v", got)
	}

	// Partial answers then timeout.
	_ = h.srv.Timeout(20*time.Millisecond).EmitAck("vote2", func(err error, r []Args) { done <- res{err, r} })
	fs[0].next(t, 1)
	fs[0].in(`431["only"]`)
	r = <-done
	if !errors.Is(r.err, ErrAckTimeout) || len(r.r) != 1 {
		t.Fatalf("%v %d", r.err, len(r.r))
	}
	// Without Timeout: immediate timeout error, like Node.
	_ = h.srv.EmitAck("vote3", func(err error, r []Args) { done <- res{err, r} })
	if r = <-done; !errors.Is(r.err, ErrAckTimeout) {
		t.Fatalf("err %v", r.err)
	}
	// Blocking form, no recipients: completes at once.
	if r, err := h.srv.To("nobody").Timeout(time.Second).EmitWithAck(context.Background(), "x"); err != nil || len(r) != 0 {
		t.Fatalf("%v %v", r, err)
	}
}

// argString is argument i of a when it is a string, "" otherwise.
func argString(a Args, i int) string {
	s, _ := a.String(i)
	return s
}
