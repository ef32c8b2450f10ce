package socketio

import (
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestCatchAll(t *testing.T) {
	h := newHarness(t, Config{})
	var mu sync.Mutex
	var log []string
	add := func(s string) { mu.Lock(); log = append(log, s); mu.Unlock() }
	h.srv.OnConnection(func(s *Socket) {
		s.OnAny(func(_ *Socket, ev string, a Args, _ AckFunc) { add("any:" + ev + ":" + string(a.Raw(0))) })
		off := s.PrependAny(func(_ *Socket, ev string, _ Args, _ AckFunc) { add("first:" + ev) })
		s.OnAnyOutgoing(func(_ *Socket, ev string, a Args, _ AckFunc) { add("out:" + ev + ":" + string(a.Raw(0))) })
		s.Use(func(_ *Socket, ev string, _ Args) error {
			if ev == "blocked" {
				return errors.New("blocked")
			}
			return nil
		})
		s.OnError(func(_ *Socket, err error) { add("error:" + err.Error()) })
		s.On("ping", func(s *Socket, _ Args, _ AckFunc) { add("handler"); _ = s.Emit("pong", 7); off() })
	})
	f := h.dial(4)
	f.in("40", `42["ping",1]`, `42["blocked"]`, `42["ping",2]`)
	_ = h.srv.Emit("news", "n")
	h.loop.Do(func() {})
	want := []string{"first:ping", "any:ping:1", "handler", "out:pong:7", "any:blocked:", "error:blocked", "any:ping:2", "handler", "out:pong:7", "out:news:\"n\""}
	if strings.Join(log, "|") != strings.Join(want, "|") {
		t.Fatalf("\n got %v\nwant %v", log, want)
	}
}

func TestDisconnectReasons(t *testing.T) {
	tests := []struct {
		name   string
		act    func(h *harness, f *fakeES, s *Socket)
		reason DisconnectReason
		packet string
	}{
		{"client", func(_ *harness, f *fakeES, _ *Socket) { f.in("41") }, ReasonClientNamespaceDisconnect, ""},
		{"server", func(_ *harness, _ *fakeES, s *Socket) { s.Disconnect(false) }, ReasonServerNamespaceDisconnect, "41"},
		{"server close", func(_ *harness, _ *fakeES, s *Socket) { s.Disconnect(true) }, ReasonServerNamespaceDisconnect, "41"},
		{"transport close", func(_ *harness, f *fakeES, _ *Socket) { f.closeFromPeer("transport close") }, ReasonTransportClose, ""},
		{"ping timeout", func(_ *harness, f *fakeES, _ *Socket) { f.closeFromPeer("ping timeout") }, ReasonPingTimeout, ""},
		{"parse error is forced close", func(_ *harness, f *fakeES, _ *Socket) { f.in("4abc") }, ReasonForcedClose, ""},
		{"shutdown", func(h *harness, _ *fakeES, _ *Socket) { _ = h.srv.Close() }, ReasonServerShuttingDown, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, Config{})
			f, s := connectOne(t, h)
			s.Join("room")
			got := make(chan string, 4)
			s.OnDisconnecting(func(s *Socket, r DisconnectReason) {
				got <- "disconnecting " + string(r) + " " + boolStr(contains(s.Rooms(), "room"))
			})
			s.OnDisconnect(func(s *Socket, r DisconnectReason) {
				got <- "disconnect " + string(r) + " " + boolStr(len(s.Rooms()) == 0)
			})
			tc.act(h, f, s)
			if a := <-got; a != "disconnecting "+string(tc.reason)+" true" {
				t.Fatal(a)
			}
			if a := <-got; a != "disconnect "+string(tc.reason)+" true" {
				t.Fatal(a)
			}
			if tc.packet != "" {
				f.expect(t, tc.packet)
			}
			f.expectNone(t, 2*time.Millisecond)
			if s.Connected() || h.srv.Sockets().NumSockets() != 0 {
				t.Fatal("still connected")
			}
		})
	}
}

func boolStr(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func TestParseErrorEmitsError(t *testing.T) {
	h := newHarness(t, Config{})
	f, s := connectOne(t, h)
	errc := make(chan error, 1)
	s.OnError(func(_ *Socket, err error) { errc <- err })
	f.in("42{}")
	if err := <-errc; err == nil {
		t.Fatal("no error")
	}
	f.waitClosed(t, time.Second)
}

func TestEmitValues(t *testing.T) {
	h := newHarness(t, Config{})
	f, s := connectOne(t, h)
	type payload struct {
		Name string `json:"name"`
		Blob []byte `json:"blob"`
	}
	tests := []struct {
		args []any
		want []string
	}{
		{[]any{"a<b>&", 1, int64(-2), 1.5, 3.0, true, nil, json.RawMessage(`{"k":[1]}`)},
			[]string{`42["e","a<b>&",1,-2,1.5,3,true,null,{"k":[1]}]`}},
		{[]any{map[string]int{"b": 2}, []int{1, 2}}, []string{`42["e",{"b":2},[1,2]]`}},
		{[]any{[]byte{1}, payload{"n", []byte{2}}},
			[]string{`452-["e",{"_placeholder":true,"num":0},{"name":"n","blob":{"_placeholder":true,"num":1}}]`, "bAQ==", "bAg=="}},
		{[]any{NewArgs([][]byte{{9}}, json.RawMessage(`{"_placeholder":true,"num":0}`)), "x"},
			[]string{`451-["e",{"_placeholder":true,"num":0},"x"]`, "bCQ=="}},
	}
	for _, tc := range tests {
		if err := s.Emit("e", tc.args...); err != nil {
			t.Fatal(err)
		}
		f.expect(t, tc.want...)
	}
	for _, ev := range []string{"connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"} {
		if err := s.Emit(ev); !errors.Is(err, ErrReservedEvent) {
			t.Fatalf("%s: %v", ev, err)
		}
	}
	if err := h.srv.ServerSideEmit("connection"); !errors.Is(err, ErrReservedServerSideEvent) {
		t.Fatal(err)
	}
	_ = s.Send("hi")
	f.expect(t, `42["message","hi"]`)
}

func TestArgs(t *testing.T) {
	a := NewArgs([][]byte{{7}}, json.RawMessage(`"a\"b"`), json.RawMessage(`42`),
		json.RawMessage(`{"num":0,"_placeholder":true}`), json.RawMessage(`{"x":[1]}`))
	if s, ok := a.String(0); a.Len() != 4 || !ok || s != `a"b` {
		t.Fatal("string")
	}
	if s, ok := a.String(1); ok || s != "" {
		t.Fatal("string")
	}
	if n, ok := a.Int(1); !ok || n != 42 {
		t.Fatal("int")
	}
	if b := a.Bytes(2); len(b) != 1 || b[0] != 7 {
		t.Fatal("bytes")
	}
	var v struct{ X []int }
	if err := a.Decode(3, &v); err != nil || v.X[0] != 1 {
		t.Fatal("decode")
	}
	if x, err := a.Value(2); err != nil || x.([]byte)[0] != 7 {
		t.Fatal("value")
	}
	if j, err := a.Clone().AppendJSON(nil); err != nil || string(j) != `["a\"b",42,{"num":0,"_placeholder":true},{"x":[1]}]` {
		t.Fatal("json")
	}
}

func TestHandshake(t *testing.T) {
	h := newHarness(t, Config{})
	hs := make(chan *Handshake, 1)
	h.srv.OnConnection(func(s *Socket) { hs <- s.Handshake() })
	f := h.dial(4)
	f.in(`40{"token":"x"}`)
	got := <-hs
	if string(got.Auth) != `{"token":"x"}` || got.Address != "127.0.0.1" || !got.XDomain ||
		got.Query.Get("transport") != "websocket" || got.URL == "" || got.Issued == 0 ||
		!strings.Contains(got.Time, " GMT") || got.Headers.Get("Origin") == "" {
		t.Fatalf("%+v", got)
	}
}

func TestAsyncHandlersDoNotStallLoop(t *testing.T) {
	h := newHarness(t, Config{HandlerMode: HandlerAsync})
	release := make(chan struct{})
	var order []int
	var mu sync.Mutex
	h.srv.OnConnection(func(s *Socket) {
		s.On("block", func(*Socket, Args, AckFunc) { <-release })
		s.On("n", func(s *Socket, a Args, ack AckFunc) {
			n, _ := a.Int(0)
			mu.Lock()
			order = append(order, int(n))
			mu.Unlock()
			ack(n)
		})
	})
	f1 := h.dial(4)
	f1.in("40")
	f1.next(t, 1)
	f1.in(`42["block"]`, `421["n",1]`, `422["n",2]`)
	f2 := h.dial(4) // another connection on the same loop is served meanwhile
	f2.in("40", `427["n",9]`)
	f2.expect(t, `40{"sid":"…"}`, `437[9]`)
	close(release)
	f1.expect(t, `431[1]`, `432[2]`)
	if order[1] != 1 || order[2] != 2 {
		t.Fatalf("order %v", order)
	}
}

func TestHandlerPanicIsRecovered(t *testing.T) {
	h := newHarness(t, Config{})
	h.srv.OnConnection(func(s *Socket) {
		s.On("boom", func(*Socket, Args, AckFunc) { panic("boom") })
		s.On("ok", func(s *Socket, _ Args, _ AckFunc) { _ = s.Emit("fine") })
	})
	f := h.dial(4)
	f.in("40", `42["boom"]`, `42["ok"]`)
	f.expect(t, `40{"sid":"…"}`, `42["fine"]`)
}

func TestDisconnectCloseAllNamespaces(t *testing.T) {
	h := newHarness(t, Config{})
	var s0 *Socket
	h.srv.OnConnection(func(s *Socket) { s0 = s })
	reasons := make(chan DisconnectReason, 2)
	h.srv.Of("/b").OnConnection(func(s *Socket) {
		s.OnDisconnect(func(_ *Socket, r DisconnectReason) { reasons <- r })
	})
	f := h.dial(4)
	f.in("40", "40/b,")
	f.next(t, 2)
	s0.Disconnect(true)
	f.waitClosed(t, time.Second)
	got := f.next(t, 2)
	if !(got[0] == "41" && got[1] == "41/b," || got[0] == "41/b," && got[1] == "41") {
		t.Fatalf("%q", got)
	}
	if r := <-reasons; r != ReasonServerNamespaceDisconnect {
		t.Fatal(r)
	}
}

func TestServerCloseSendsNoDisconnect(t *testing.T) {
	h := newHarness(t, Config{})
	f, _ := connectOne(t, h)
	if err := h.srv.Close(); err != nil {
		t.Fatal(err)
	}
	f.waitClosed(t, time.Second)
	f.expectNone(t, time.Millisecond)
	g := h.dial(4)
	if !g.isClosed() {
		t.Fatal("closed server accepted a session")
	}
}
