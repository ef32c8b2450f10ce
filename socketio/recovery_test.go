package socketio

import (
	"encoding/json"
	"errors"
	"fmt"
	"github.com/sio-fast/sio-fast/socketio/parser"
	"regexp"
	"sync/atomic"
	"testing"
	"time"
)

var pidRe = regexp.MustCompile(`"pid":"([A-Za-z0-9_-]{20})"`)

// recoveryHarness is a server with recovery on whose sockets join the
// room named in their auth ("room") and keep {"tag": auth.tag} as data.
func recoveryHarness(t *testing.T, rec *Recovery) (*harness, chan *Socket) {
	h := newHarness(t, Config{Recovery: rec})
	conns := make(chan *Socket, 16)
	h.srv.OnConnection(func(s *Socket) {
		var a struct{ Room, Tag string }
		_ = json.Unmarshal(s.Handshake().Auth, &a)
		if !s.Recovered() {
			if a.Room != "" {
				s.Join(a.Room)
			}
			s.SetData(map[string]string{"tag": a.Tag})
		}
		conns <- s
	})
	return h, conns
}

// connectFresh connects f with auth and returns the socket and its pid.
func connectFresh(t *testing.T, f *fakeES, conns chan *Socket, auth string) (*Socket, string) {
	t.Helper()
	f.in("40" + auth)
	got := f.next(t, 1)[0]
	m := pidRe.FindStringSubmatch(got)
	if m == nil {
		t.Fatalf("CONNECT reply without pid: %q", got)
	}
	return <-conns, m[1]
}

func TestRecoveryRestoresIDRoomsDataAndMissedPackets(t *testing.T) {
	h, conns := recoveryHarness(t, DefaultRecovery())
	f := h.dial(4)
	s, pid := connectFresh(t, f, conns, `{"room":"r","tag":"one"}`)
	other := h.dial(4)
	connectFresh(t, other, conns, `{"room":"elsewhere"}`)

	_ = h.srv.To("r").Emit("seen", 1)
	f.expect(t, `42["seen",1,"1"]`)
	f.closeFromPeer("transport close")

	// While disconnected: stored and selected by the session's rooms...
	_ = h.srv.To("r").Emit("m", 1)
	_ = h.srv.Emit("m", 2)
	_ = h.srv.Except("elsewhere").Emit("m", 3)
	_ = h.srv.To("r", "elsewhere").Emit("m", 4, []byte{7})
	_ = s.Emit("late") // emitted on the disconnected socket: stored for it, as in Node
	// ...stored but not selected...
	_ = h.srv.To("elsewhere").Emit("not", 1)
	_ = h.srv.Except("r").Emit("not", 2)
	_ = h.srv.To(s.ID()).Except(s.ID()).Emit("not", 3)
	// ...not stored: volatile and with ack.
	_ = h.srv.To("r").Volatile().Emit("not", 4)
	_ = h.srv.To("r").Timeout(time.Millisecond).EmitAck("not", func(error, []Args) {}, 5)

	f2 := h.dial(4)
	f2.in(fmt.Sprintf(`40{"pid":%q,"offset":"1","room":"ignored"}`, pid))
	f2.expect(t,
		`42["m",1,"2"]`, `42["m",2,"3"]`, `42["m",3,"4"]`,
		`451-["m",4,{"_placeholder":true,"num":0},"5"]`, "bBw==", `42["late","6"]`,
		fmt.Sprintf(`40{"sid":"…","pid":%q}`, pid))
	s2 := <-conns
	if s2.ID() != s.ID() || !s2.Recovered() {
		t.Fatalf("recovered socket %q (recovered %v), want id %q", s2.ID(), s2.Recovered(), s.ID())
	}
	if d := s2.Data().(map[string]string); d["tag"] != "one" {
		t.Fatalf("data %v", d)
	}
	if rs := s2.Rooms(); len(rs) != 2 || !contains(rs, "r") || !contains(rs, s.ID()) {
		t.Fatalf("rooms %v", rs)
	}
	// Live again, in its rooms and its own room; offsets continue.
	_ = h.srv.To("r").Emit("live", 1)
	_ = s2.Emit("direct")
	f2.expect(t, `42["live",1,"a"]`, `42["direct","b"]`) // 7-9: "not" 1-3
	if h.srv.Sockets().NumSockets() != 2 {
		t.Fatalf("%d sockets", h.srv.Sockets().NumSockets())
	}
}

func TestRecoveryEmitsCarryOffsetsOnlyWhenStored(t *testing.T) {
	h, conns := recoveryHarness(t, DefaultRecovery())
	f := h.dial(4)
	s, _ := connectFresh(t, f, conns, ``)
	_ = s.Emit("a", "x")
	f.expect(t, `42["a","x","1"]`)
	_ = s.Volatile().Emit("v")
	f.expect(t, `42["v"]`)
	_ = s.Timeout(time.Second).EmitAck("q", func(error, Args) {})
	f.expect(t, `420["q"]`)
	_ = h.srv.Emit("b")
	f.expect(t, `42["b","2"]`)
}

func TestRecoveryOffNoPidNoOffset(t *testing.T) {
	h := newHarness(t, Config{})
	conns := make(chan *Socket, 1)
	h.srv.OnConnection(func(s *Socket) { conns <- s })
	f := h.dial(4)
	f.in(`40{"pid":"AAAAAAAAAAAAAAAAAAAA","offset":"1"}`)
	f.expect(t, `40{"sid":"…"}`)
	s := <-conns
	_ = s.Emit("a", "x")
	_ = h.srv.Emit("b")
	f.expect(t, `42["a","x"]`, `42["b"]`)
	if s.Recovered() {
		t.Fatal("recovered without recovery")
	}
}

// disconnectAndReconnect connects a socket in room r, sees offset "1",
// lets close end its connection, and reconnects with its pid and offset.
// It returns the first socket and what the new connection received first.
func disconnectAndReconnect(t *testing.T, h *harness, conns chan *Socket, close func(*Socket, *fakeES), pidOf func(string) string) (*Socket, *fakeES) {
	t.Helper()
	f := h.dial(4)
	s, pid := connectFresh(t, f, conns, `{"room":"r"}`)
	_ = h.srv.To("r").Emit("seen")
	f.next(t, 1)
	close(s, f)
	f2 := h.dial(4)
	f2.in(fmt.Sprintf(`40{"pid":%q,"offset":"1"}`, pidOf(pid)))
	return s, f2
}

// expectFresh checks the connection got a new socket: another id, another
// pid, not recovered.
func expectFresh(t *testing.T, f *fakeES, conns chan *Socket, old *Socket, oldPid string) {
	t.Helper()
	got := f.next(t, 1)[0]
	m := pidRe.FindStringSubmatch(got)
	s := <-conns
	if m == nil || m[1] == oldPid || s.ID() == old.ID() || s.Recovered() {
		t.Fatalf("reply %q, socket %q recovered=%v: want a fresh session (old %q)", got, s.ID(), s.Recovered(), old.ID())
	}
}

func TestRecoveryOnlyForRecoverableReasons(t *testing.T) {
	closes := map[string]func(*Socket, *fakeES){
		"client namespace disconnect": func(_ *Socket, f *fakeES) { f.in("41") },
		"server namespace disconnect": func(s *Socket, f *fakeES) { s.Disconnect(false); f.next(t, 1) },
		"parse error":                 func(_ *Socket, f *fakeES) { f.closeFromPeer("parse error") },
	}
	for name, close := range closes {
		t.Run(name, func(t *testing.T) {
			h, conns := recoveryHarness(t, DefaultRecovery())
			var pid string
			s, f2 := disconnectAndReconnect(t, h, conns, close, func(p string) string { pid = p; return p })
			expectFresh(t, f2, conns, s, pid)
		})
	}
	for _, reason := range []DisconnectReason{ReasonTransportError, ReasonTransportClose, ReasonForcedClose,
		ReasonPingTimeout, ReasonServerShuttingDown, ReasonForcedServerClose} {
		t.Run(string(reason), func(t *testing.T) {
			h, conns := recoveryHarness(t, DefaultRecovery())
			s, f2 := disconnectAndReconnect(t, h, conns, func(_ *Socket, f *fakeES) { f.closeFromPeer(string(reason)) }, func(p string) string { return p })
			f2.next(t, 1)
			if s2 := <-conns; s2.ID() != s.ID() || !s2.Recovered() {
				t.Fatalf("not recovered after %q", reason)
			}
		})
	}
}

// forgePID returns pid with its first character changed: always a different
// pid (replacing it with a fixed "X" gave the real pid back whenever that
// began with "X", about one run in 64).
func forgePID(pid string) string {
	c := byte('X')
	if pid[0] == c {
		c = 'Y'
	}
	return string(c) + pid[1:]
}

func TestRecoveryForgedStaleOrUnknown(t *testing.T) {
	transportClose := func(_ *Socket, f *fakeES) { f.closeFromPeer("transport close") }
	t.Run("forged pid", func(t *testing.T) {
		h, conns := recoveryHarness(t, DefaultRecovery())
		var pid string
		s, f2 := disconnectAndReconnect(t, h, conns, transportClose, func(p string) string { pid = p; return forgePID(p) })
		expectFresh(t, f2, conns, s, pid)
	})
	t.Run("pid used twice", func(t *testing.T) {
		h, conns := recoveryHarness(t, DefaultRecovery())
		var pid string
		s, f2 := disconnectAndReconnect(t, h, conns, transportClose, func(p string) string { pid = p; return p })
		f2.next(t, 1)
		<-conns
		f3 := h.dial(4) // the same credentials again, while the first is connected
		f3.in(fmt.Sprintf(`40{"pid":%q,"offset":"1"}`, pid))
		expectFresh(t, f3, conns, s, pid)
	})
	t.Run("unknown offset", func(t *testing.T) {
		h, conns := recoveryHarness(t, DefaultRecovery())
		f := h.dial(4)
		s, pid := connectFresh(t, f, conns, ``)
		f.closeFromPeer("transport close")
		for _, off := range []string{"0", "zzzz", "01", "-1", ""} {
			f2 := h.dial(4)
			f2.in(fmt.Sprintf(`40{"pid":%q,"offset":%q}`, pid, off))
			expectFresh(t, f2, conns, s, pid)
		}
	})
	t.Run("no offset seen", func(t *testing.T) {
		h, conns := recoveryHarness(t, DefaultRecovery())
		f := h.dial(4)
		s, pid := connectFresh(t, f, conns, ``)
		f.closeFromPeer("transport close")
		for _, auth := range []string{fmt.Sprintf(`{"pid":%q}`, pid), fmt.Sprintf(`{"pid":%q,"offset":1}`, pid), `{"pid":1,"offset":"1"}`} {
			f2 := h.dial(4)
			f2.in("40" + auth)
			expectFresh(t, f2, conns, s, pid)
		}
	})
}

func TestRecoveryExpiry(t *testing.T) {
	h, conns := recoveryHarness(t, &Recovery{MaxDisconnectionDuration: 80 * time.Millisecond, SkipMiddlewares: true})
	var pid string
	s, f2 := disconnectAndReconnect(t, h, conns, func(_ *Socket, f *fakeES) {
		f.closeFromPeer("transport close")
		time.Sleep(120 * time.Millisecond) // past the deadline
	}, func(p string) string { pid = p; return p })
	expectFresh(t, f2, conns, s, pid)
	// The sweeper frees the rest without any further traffic.
	st := h.srv.Sockets().Adapter().(*MemoryAdapter).rec
	_ = h.srv.Emit("x")
	f2.next(t, 1)
	f2.closeFromPeer("transport close")
	waitFor(t, "sweep", func() bool { p, n := st.stats(); return p == 0 && n == 0 })
	if st.timer != nil {
		t.Fatal("sweep timer still armed with nothing stored")
	}
}

func TestRecoverySkipMiddlewares(t *testing.T) {
	for _, skip := range []bool{true, false} {
		t.Run(fmt.Sprint("skip=", skip), func(t *testing.T) {
			h, conns := recoveryHarness(t, &Recovery{SkipMiddlewares: skip})
			var calls, recoveredCalls atomic.Int32
			h.srv.Use(func(s *Socket, next func(error)) {
				calls.Add(1)
				if s.Recovered() {
					recoveredCalls.Add(1)
				}
				next(nil)
			})
			s, f2 := disconnectAndReconnect(t, h, conns, func(_ *Socket, f *fakeES) { f.closeFromPeer("transport close") }, func(p string) string { return p })
			f2.next(t, 1)
			if s2 := <-conns; s2.ID() != s.ID() || !s2.Recovered() {
				t.Fatal("not recovered")
			}
			want := int32(2)
			if skip {
				want = 1
			}
			if calls.Load() != want || recoveredCalls.Load() != want-1 {
				t.Fatalf("middleware ran %d times (%d recovered), want %d", calls.Load(), recoveredCalls.Load(), want)
			}
		})
	}
}

func TestRecoveryMiddlewareRefusesRecoveredSocket(t *testing.T) {
	h, conns := recoveryHarness(t, &Recovery{})
	h.srv.Use(func(s *Socket, next func(error)) {
		if s.Recovered() {
			next(errors.New("no way back"))
			return
		}
		next(nil)
	})
	_, f2 := disconnectAndReconnect(t, h, conns, func(_ *Socket, f *fakeES) { f.closeFromPeer("transport close") }, func(p string) string { return p })
	f2.expect(t, `44{"message":"no way back"}`)
	if n := h.srv.Sockets().NumSockets(); n != 0 {
		t.Fatalf("%d sockets", n)
	}
	if rs := h.srv.Sockets().Adapter().Sockets([]Room{"r"}); len(rs) != 0 {
		t.Fatalf("refused socket still in room r: %v", rs)
	}
}

func TestAppendOffset(t *testing.T) {
	for in, want := range map[string]string{
		`["e"]`: `["e","7"]`, `["e",1,{"a":[]}]`: `["e",1,{"a":[]},"7"]`, `[]`: `["7"]`,
	} {
		if got := string(AppendOffset([]byte(in), "7")); got != want {
			t.Errorf("AppendOffset(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestRecoveryHandlerAsync(t *testing.T) {
	h := newHarness(t, Config{Recovery: DefaultRecovery(), HandlerMode: HandlerAsync})
	conns := make(chan *Socket, 4)
	h.srv.OnConnection(func(s *Socket) {
		if !s.Recovered() {
			s.Join("r")
		}
		conns <- s
	})
	st := h.srv.Sockets().Adapter().(*MemoryAdapter).rec
	s, f2 := disconnectAndReconnect(t, h, conns, func(_ *Socket, f *fakeES) {
		f.closeFromPeer("transport close")
		// The session is persisted on the socket's goroutine, after its
		// disconnecting listeners: a client reconnects later than this.
		waitFor(t, "persisted session", func() bool { _, n := st.stats(); return n == 1 })
	}, func(p string) string { return p })
	f2.next(t, 1)
	if s2 := <-conns; s2.ID() != s.ID() || !s2.Recovered() || !contains(s2.Rooms(), "r") {
		t.Fatalf("not recovered in HandlerAsync mode: %q %v %v", s2.ID(), s2.Recovered(), s2.Rooms())
	}
}

// FuzzRecoveryRestore feeds arbitrary CONNECT auth to the recovery lookup
// of a store holding one session: no panic, and only the exact pid and a
// live offset restore it.
func FuzzRecoveryRestore(f *testing.F) {
	const pid = "AAAAAAAAAAAAAAAAAAAB"
	f.Add([]byte(`{"pid":"AAAAAAAAAAAAAAAAAAAB","offset":"1"}`))
	f.Add([]byte(`{"pid":"AAAAAAAAAAAAAAAAAAAB","offset":"01"}`))
	f.Add([]byte(`{"pid":"x","offset":"zzzzzzzzzzzzzzzzzz"}`))
	f.Add([]byte(`{"pid":null,"offset":{}}`))
	f.Add([]byte(`[`))
	f.Fuzz(func(t *testing.T, auth []byte) {
		srv := NewServer(Config{Recovery: DefaultRecovery()})
		st := srv.Sockets().Adapter().(*MemoryAdapter).rec
		defer st.close()
		for range 3 {
			_ = srv.Emit("x", 1) // offsets 1, 2, 3
		}
		st.persist(&Session{SID: "sid", PID: pid, Rooms: []Room{"sid"}})
		p, off, ok := recoveryAuth(auth)
		if !ok {
			return
		}
		st.restore(p, off, func(sess *Session, missed []parser.Packet) {
			if sess == nil {
				return
			}
			if p != pid || (off != "1" && off != "2" && off != "3") {
				t.Fatalf("restored with pid %q offset %q", p, off)
			}
			if want := 3 - int(off[0]-'0'); len(missed) != want {
				t.Fatalf("offset %q: %d missed, want %d", off, len(missed), want)
			}
		})
	})
}

// A client whose transport dropped reconnects with the pid of its CONNECT
// reply and the last offset it saw (socket.io-client sends both by itself):
// it gets its socket back, rooms and data included, and the packets it
// missed before the CONNECT reply.
func ExampleRecovery() {
	srv := NewServer(Config{Recovery: DefaultRecovery()})
	srv.OnConnection(func(s *Socket) {
		fmt.Println("connected, recovered:", s.Recovered())
		if !s.Recovered() {
			s.Join("news")
		}
	})
	first := newFakeES(&syncExec{}, 4)
	srv.HandleEngineSocket(first)
	first.onMsg([]byte("0"), false)
	pid := pidRe.FindStringSubmatch(string(first.sent[0].Data))[1]
	_ = srv.To("news").Emit("headline", "seen") // offset "1", the last the client saw
	first.onClose("transport close", "")
	_ = srv.To("news").Emit("headline", "missed")

	again := newFakeES(&syncExec{}, 4)
	srv.HandleEngineSocket(again)
	again.onMsg([]byte(`0{"pid":"`+pid+`","offset":"1"}`), false)
	for _, m := range again.sent {
		fmt.Println(pidRe.ReplaceAllString(wireOf(m), `"pid":"…"`))
	}
	// Output:
	// connected, recovered: false
	// connected, recovered: true
	// 42["headline","missed","2"]
	// 40{"sid":"…","pid":"…"}
}
