package socketio

import (
	"errors"
	"regexp"
	"sync/atomic"
	"testing"
	"time"
)

func TestNamespaceMiddleware(t *testing.T) {
	tests := []struct {
		name string
		mw   Middleware
		want []string
	}{
		{"error with data", func(_ *Socket, next func(error)) {
			next(&ConnectError{Message: "not authorized", Data: map[string]string{"content": "retry later"}})
		}, []string{`44/auth,{"message":"not authorized","data":{"content":"retry later"}}`}},
		{"plain error", func(_ *Socket, next func(error)) { next(errors.New("nope")) },
			[]string{`44/auth,{"message":"nope"}`}},
		{"async next", func(_ *Socket, next func(error)) {
			go func() { time.Sleep(time.Millisecond); next(nil) }()
		}, []string{`40/auth,{"sid":"…"}`, `42/auth,["hello"]`}},
		{"async error", func(_ *Socket, next func(error)) { go next(errors.New("later")) },
			[]string{`44/auth,{"message":"later"}`}},
		{"emit and join in middleware", func(s *Socket, next func(error)) {
			s.Join("vip")
			_ = s.Emit("early")
			next(nil)
		}, []string{`42/auth,["early"]`, `40/auth,{"sid":"…"}`, `42/auth,["hello"]`}},
		{"panic refuses", func(*Socket, func(error)) { panic("boom") },
			[]string{`44/auth,{"message":"socketio: middleware panic"}`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, Config{})
			nsp := h.srv.Of("/auth").Use(tc.mw)
			nsp.OnConnection(func(s *Socket) { _ = s.Emit("hello") })
			f := h.dial(4)
			f.in("40/auth,")
			f.expect(t, tc.want...)
			f.expectNone(t, 5*time.Millisecond)
			if f.isClosed() {
				t.Fatal("refused connection must keep the session open")
			}
		})
	}
}

func TestMiddlewareOrderAndShortCircuit(t *testing.T) {
	h := newHarness(t, Config{})
	var order []int
	h.srv.Use(func(_ *Socket, next func(error)) { order = append(order, 1); next(nil) })
	h.srv.Use(func(_ *Socket, next func(error)) { order = append(order, 2); next(errors.New("stop")) })
	h.srv.Use(func(_ *Socket, next func(error)) { order = append(order, 3); next(nil) })
	f := h.dial(4)
	f.in("40")
	f.expect(t, `44{"message":"stop"}`)
	if len(order) != 2 {
		t.Fatalf("order %v", order)
	}
}

func TestDynamicNamespaces(t *testing.T) {
	h := newHarness(t, Config{CleanupEmptyChildNamespaces: true})
	var created []string
	h.srv.OnNewNamespace(func(n *Namespace) { created = append(created, n.Name()) })
	re := h.srv.OfRegexp(regexp.MustCompile(`^/dyn-\d+$`))
	var mwRuns atomic.Int32
	re.Use(func(_ *Socket, next func(error)) { mwRuns.Add(1); next(nil) })
	re.OnConnection(func(s *Socket) { _ = s.Emit("welcome", s.Namespace().Name()) })
	fn := h.srv.OfFunc(func(name string, auth []byte) bool { return name == "/fn" && string(auth) == `{"ok":true}` })
	fn.OnConnection(func(s *Socket) { _ = s.Emit("fn") })

	f := h.dial(4)
	f.in("40/dyn-1,")
	f.expect(t, `40/dyn-1,{"sid":"…"}`, `42/dyn-1,["welcome","/dyn-1"]`)
	f.in(`40/fn,{"ok":false}`)
	f.expect(t, `44/fn,{"message":"Invalid namespace"}`)
	f.in(`40/fn,{"ok":true}`)
	f.expect(t, `40/fn,{"sid":"…"}`, `42/fn,["fn"]`)
	if mwRuns.Load() != 1 || len(re.Children()) != 1 {
		t.Fatalf("mw runs %d children %d", mwRuns.Load(), len(re.Children()))
	}
	if _, err := re.FetchSockets(); !errors.Is(err, ErrParentNamespace) {
		t.Fatal("parent FetchSockets must fail")
	}
	// Parent emit fans out to children.
	if err := re.Emit("all"); err != nil {
		t.Fatal(err)
	}
	f.expect(t, `42/dyn-1,["all"]`)
	// Static names win; an explicit Of of a matching name becomes a child.
	if c := h.srv.Of("/dyn-2"); len(re.Children()) != 2 || c.parent != re {
		t.Fatal("Of(matching name) must create a child")
	}
	// Leaving the last socket removes the child (cleanupEmptyChildNamespaces).
	f.in("41/dyn-1,")
	waitFor(t, "child cleanup", func() bool { return h.srv.lookup("/dyn-1") == nil })
	if len(created) < 2 || created[0] != "/dyn-1" || created[1] != "/fn" {
		t.Fatalf("new_namespace events %v", created)
	}
}

// A nil pattern or matcher is refused where it is registered, with
// ErrInvalidRegexp, and never reaches a CONNECT.
func TestNilParentMatcherPanicsAtRegistration(t *testing.T) {
	h := newHarness(t, Config{})
	for name, register := range map[string]func(){
		"OfRegexp(nil)": func() { h.srv.OfRegexp(nil) },
		"OfFunc(nil)":   func() { h.srv.OfFunc(nil) },
	} {
		func() {
			defer func() {
				err, _ := recover().(error)
				if !errors.Is(err, ErrInvalidRegexp) {
					t.Errorf("%s: panic %v, want ErrInvalidRegexp", name, err)
				}
			}()
			register()
		}()
	}
	if n := len(h.srv.parents); n != 0 {
		t.Fatalf("%d parents registered", n)
	}
	f := h.dial(4)
	f.in("40/dyn-1,")
	f.expect(t, `44/dyn-1,{"message":"Invalid namespace"}`)
}

func TestSeveralNamespacesOneConnection(t *testing.T) {
	h := newHarness(t, Config{})
	echoServer(h.srv, "/a", "/b")
	f := h.dial(4)
	f.in("40/a,", "40/b,") // "/" is optional
	f.next(t, 4)
	f.in(`42/b,["message",1]`, `42/a,["message",2]`)
	f.expect(t, `42/b,["message-back",1]`, `42/a,["message-back",2]`)
	f.in("41/a,")
	f.in(`42/b,["message",3]`)
	f.expect(t, `42/b,["message-back",3]`)
}
