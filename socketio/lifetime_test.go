package socketio

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// inReused delivers text messages the way the engine does: every message
// is copied into one buffer that is overwritten (here with 'X') as soon as
// OnMessage returns. A handler's Args alias that buffer, so any use of them
// after the handler returned that the server does not guard shows up as
// X's on the wire.
func (f *fakeES) inReused(buf []byte, wire ...string) {
	l := f.home.(*fakeLoop)
	for _, w := range wire {
		l.Do(func() {
			data := append(buf[:0], strings.TrimPrefix(w, "4")...)
			f.onMsg(data, false)
			for i := range data {
				data[i] = 'X'
			}
		})
	}
}

// sentAcks waits for n messages and returns them sorted by nothing: the
// order of acks answered from goroutines is not defined.
func (f *fakeES) sentSet(t *testing.T, n int) map[string]bool {
	t.Helper()
	got := map[string]bool{}
	for _, m := range f.next(t, n) {
		got[m] = true
	}
	return got
}

// TestAckArgsFromGoroutineWithoutClone: `go func() { ack(args) }()` with no
// Clone, the misuse that sent `[]` (the argument table went back to its
// pool) or garbage (the read buffer was reused). The ack is unanswered when
// the handler returns, so the server keeps the arguments: every client gets
// its own arguments back, byte for byte, however late the ack.
func TestAckArgsFromGoroutineWithoutClone(t *testing.T) {
	h := newHarness(t, Config{})
	gate := make(chan struct{})
	var wg sync.WaitGroup
	h.srv.OnConnection(func(s *Socket) {
		s.On("later", func(_ *Socket, args Args, ack AckFunc) {
			wg.Add(2)
			go func() { defer wg.Done(); <-gate; _ = ack(args) }()
			go func() { defer wg.Done(); <-gate; _ = args.Raw(0) }() // a reader racing the ack
		})
		s.On("raw-later", func(_ *Socket, args Args, ack AckFunc) {
			wg.Add(1)
			go func() { defer wg.Done(); <-gate; _ = ack(args.Raw(0), args.Arg(1)) }()
		})
	})
	f := h.dial(4)
	f.in("40")
	f.next(t, 1)
	buf := make([]byte, 0, 256)
	const n = 50
	want := map[string]bool{}
	for i := range n {
		f.inReused(buf, fmt.Sprintf(`2%d["later",{"i":%d,"s":"é\n"},[%d]]`, i, i, i))
		want[fmt.Sprintf(`43%d[{"i":%d,"s":"é\n"},[%d]]`, i, i, i)] = true
		f.inReused(buf, fmt.Sprintf(`2%d["raw-later","r%d",%d]`, n+i, i, i))
		want[fmt.Sprintf(`43%d["r%d",%d]`, n+i, i, i)] = true
	}
	close(gate)
	wg.Wait()
	got := f.sentSet(t, 2*n)
	for m := range want {
		if !got[m] {
			t.Fatalf("missing ack %s; got %v", m, got)
		}
	}
}

// TestAckRawFromGoroutineUnderLoad: `ack(args.Raw(0))` from a goroutine
// while the loop keeps decoding into the same buffer, the misuse that sent
// broken JSON and raced. Raw copies under the lease, and the lease is kept
// while the ack is unanswered: each ack carries its own event's argument.
func TestAckRawFromGoroutineUnderLoad(t *testing.T) {
	h := newHarness(t, Config{})
	h.srv.OnConnection(func(s *Socket) {
		s.On("q", func(_ *Socket, args Args, ack AckFunc) {
			go func() { _ = ack(args.Raw(0)) }()
		})
	})
	f := h.dial(4)
	f.in("40")
	f.next(t, 1)
	buf := make([]byte, 0, 256)
	const n = 300
	for i := range n {
		f.inReused(buf, fmt.Sprintf(`2%d["q",{"payload":"%s"}]`, i, strings.Repeat(string(rune('a'+i%26)), i%40)))
	}
	got := f.sentSet(t, n)
	for i := range n {
		m := fmt.Sprintf(`43%d[{"payload":"%s"}]`, i, strings.Repeat(string(rune('a'+i%26)), i%40))
		if !got[m] {
			t.Fatalf("missing or wrong ack %d: want %s", i, m)
		}
	}
}

// TestArgsUsedAfterReturnExpire: Args kept past their handler without
// Clone, with no pending ack and no Socket.Go, fail with ErrArgsExpired
// everywhere — the client receives nothing rather than wrong bytes — while
// a Clone made during the handler stays valid.
func TestArgsUsedAfterReturnExpire(t *testing.T) {
	h := newHarness(t, Config{})
	var (
		mu     sync.Mutex
		stash  Args
		cloned Args
	)
	errs := make(chan error, 1)
	h.srv.OnConnection(func(s *Socket) {
		s.On("stash", func(_ *Socket, args Args, _ AckFunc) {
			mu.Lock()
			stash, cloned = args, args.Clone()
			mu.Unlock()
		})
		// The stash handler has returned when this one runs: events of a
		// socket are dispatched one after the other.
		s.On("use", func(s *Socket, _ Args, _ AckFunc) {
			mu.Lock()
			a := stash
			mu.Unlock()
			go func() { errs <- s.Emit("late", a) }()
		})
	})
	f := h.dial(4)
	f.in("40")
	f.next(t, 1)
	buf := make([]byte, 0, 64)
	f.inReused(buf, `2["stash","secret",7]`, `2["use"]`)
	if err := <-errs; !errors.Is(err, ErrArgsExpired) {
		t.Fatalf("Emit of expired Args: %v, want ErrArgsExpired", err)
	}
	f.expectNone(t, 20*time.Millisecond)
	mu.Lock()
	a, c := stash, cloned
	mu.Unlock()
	if a.Err() != ErrArgsExpired || a.Raw(0) != nil || a.Attachments() != nil || a.Bytes(0) != nil {
		t.Fatal("expired Args still readable")
	}
	if v, ok := a.String(0); ok || v != "" {
		t.Fatalf("String of expired Args: %q %v", v, ok)
	}
	if _, ok := a.Int(1); ok {
		t.Fatal("Int of expired Args succeeded")
	}
	var v any
	if err := a.Decode(0, &v); !errors.Is(err, ErrArgsExpired) {
		t.Fatalf("Decode: %v", err)
	}
	if _, err := a.Value(0); !errors.Is(err, ErrArgsExpired) {
		t.Fatalf("Value: %v", err)
	}
	if _, err := a.AppendJSON(nil); !errors.Is(err, ErrArgsExpired) {
		t.Fatalf("AppendJSON: %v", err)
	}
	if a.Clone().Err() != ErrArgsExpired || a.Arg(0).Err() != ErrArgsExpired {
		t.Fatal("Clone/Arg of expired Args are readable")
	}
	if s, _ := c.String(0); s != "secret" || c.Err() != nil {
		t.Fatalf("clone made in the handler: %q %v", s, c.Err())
	}
}

// TestAckOfExpiredArgsAfterAnswer: an AckFunc given expired Args returns
// ErrArgsExpired and the ack stays unanswered, so a correct call still
// answers.
func TestAckOfExpiredArgsReportsError(t *testing.T) {
	h := newHarness(t, Config{})
	var stash Args
	errs := make(chan error, 2)
	h.srv.OnConnection(func(s *Socket) {
		s.On("stash", func(_ *Socket, args Args, _ AckFunc) { stash = args })
		s.On("ask", func(_ *Socket, _ Args, ack AckFunc) { // stash returned before
			errs <- ack(stash)
			errs <- ack("fine")
		})
	})
	f := h.dial(4)
	f.in("40")
	f.next(t, 1)
	f.inReused(make([]byte, 0, 64), `2["stash","x"]`, `21["ask"]`)
	if err := <-errs; !errors.Is(err, ErrArgsExpired) {
		t.Fatalf("ack(expired): %v", err)
	}
	if err := <-errs; err != nil {
		t.Fatalf("second ack: %v", err)
	}
	f.expect(t, `431["fine"]`)
}

// TestArgsReadFromGoroutineWhileHandlerReturns: a goroutine that emits the
// Args while the handler returns either sends them exactly (it read them
// before the end of the call) or gets ErrArgsExpired — never other bytes.
// Run under -race: the lease orders every read before the buffer's reuse.
func TestArgsReadFromGoroutineWhileHandlerReturns(t *testing.T) {
	h := newHarness(t, Config{})
	results := make(chan error, 1)
	h.srv.OnConnection(func(s *Socket) {
		s.On("m", func(s *Socket, args Args, _ AckFunc) {
			go func() { results <- s.Emit("back", args) }()
		})
	})
	f := h.dial(4)
	f.in("40")
	f.next(t, 1)
	buf := make([]byte, 0, 64)
	sent := 0
	for i := range 200 {
		f.inReused(buf, fmt.Sprintf(`2["m","v%d"]`, i))
		switch err := <-results; {
		case err == nil:
			sent++
			f.expect(t, fmt.Sprintf(`42["back","v%d"]`, i))
		case !errors.Is(err, ErrArgsExpired):
			t.Fatalf("event %d: %v", i, err)
		}
	}
	t.Logf("%d of 200 emitted before the handler returned, the rest refused", sent)
}

// TestArgsKeptForSocketGo: work queued with Socket.Go during the handler
// may use the Args after it returned, as the package doc promises.
func TestArgsKeptForSocketGo(t *testing.T) {
	h := newHarness(t, Config{})
	gate := make(chan struct{})
	h.srv.OnConnection(func(s *Socket) {
		s.On("slow", func(s *Socket, args Args, _ AckFunc) {
			s.Go(func() { <-gate; _ = s.Emit("done", args) })
		})
	})
	f := h.dial(4)
	f.in("40")
	f.next(t, 1)
	buf := make([]byte, 0, 64)
	f.inReused(buf, `2["slow",{"k":"v1"}]`, `2["slow",{"k":"v2"}]`)
	close(gate)
	f.expect(t, `42["done",{"k":"v1"}]`, `42["done",{"k":"v2"}]`)
}

// TestAckCallbackArgsExpire: the Args of a server→client ack callback
// follow the same rule.
func TestAckCallbackArgsExpire(t *testing.T) {
	h := newHarness(t, Config{})
	f, s := connectOne(t, h)
	got := make(chan Args, 1)
	_ = s.EmitAck("q", func(_ error, a Args) { got <- a })
	f.next(t, 1)
	f.inReused(make([]byte, 0, 64), `430["answer"]`)
	if a := <-got; a.Err() != ErrArgsExpired {
		t.Fatalf("ack callback Args after return: %v", a.Err())
	}
}

// TestBinaryArgPassedOn: Arg(i) and whole Args carry their attachments,
// renumbered when needed; Raw shows the placeholder.
func TestBinaryArgPassedOn(t *testing.T) {
	h := newHarness(t, Config{})
	h.srv.OnConnection(func(s *Socket) {
		s.On("echo", func(_ *Socket, args Args, ack AckFunc) { _ = ack(args) })
		s.On("second", func(_ *Socket, args Args, ack AckFunc) {
			if !bytes.Contains(args.Raw(1), []byte(`"_placeholder"`)) {
				panic("Raw should show the placeholder")
			}
			_ = ack(args.Arg(1), "tail", []byte{9})
		})
		s.On("text", func(_ *Socket, args Args, ack AckFunc) { _ = ack(args.Arg(0)) })
	})
	f := h.dial(4)
	f.in("40")
	f.next(t, 1)
	// AQI= is {1,2}, Aw== is {3}.
	f.in(`51-1["echo","x",{"_placeholder":true,"num":0}]`, "bAQI=")
	f.expect(t, `461-1["x",{"_placeholder":true,"num":0}]`, "bAQI=")
	f.in(`52-2["second",{"_placeholder":true,"num":0},{"a":{"_placeholder":true,"num":1}}]`, "bAQI=", "bAw==")
	f.expect(t, `462-2[{"a":{"_placeholder":true,"num":0}},"tail",{"_placeholder":true,"num":1}]`, "bAw==", "bCQ==")
	f.in(`51-3["text","plain",{"_placeholder":true,"num":0}]`, "bAQI=")
	f.expect(t, `433["plain"]`)
}
