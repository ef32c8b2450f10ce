package socketio

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// Byte-exact exchanges of protocol.md §6 items 15-29, against the fake
// engine. Wire strings include the Engine.IO message type "4"; binary
// messages are "b<base64>" (01 02 03 = AQID, 04 05 06 = BAUG).
func TestProtocolExchanges(t *testing.T) {
	tests := []struct {
		name string
		in   []string
		want []string
	}{
		{"15 connect main", []string{"40"}, []string{`40{"sid":"…"}`, `42["auth",{}]`}},
		{"16 connect with auth", []string{`40{"token":"123"}`}, []string{`40{"sid":"…"}`, `42["auth",{"token":"123"}]`}},
		{"17 connect custom", []string{"40/custom,"}, []string{`40/custom,{"sid":"…"}`, `42/custom,["auth",{}]`}},
		{"17 connect custom auth", []string{`40/custom,{"token":"abc"}`}, []string{`40/custom,{"sid":"…"}`, `42/custom,["auth",{"token":"abc"}]`}},
		{"18 invalid namespace", []string{"40/random"}, []string{`44/random,{"message":"Invalid namespace"}`}},
		{"21 leave custom, main still works", []string{"40", "40/custom", "41/custom", `42["message","message to main namespace"]`},
			[]string{`40{"sid":"…"}`, `42["auth",{}]`, `40/custom,{"sid":"…"}`, `42/custom,["auth",{}]`, `42["message-back","message to main namespace"]`}},
		{"22 event", []string{"40", `42["message",1,"2",{"3":[true]}]`},
			[]string{`40{"sid":"…"}`, `42["auth",{}]`, `42["message-back",1,"2",{"3":[true]}]`}},
		{"23 binary event", []string{"40", `452-["message",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]`, "bAQID", "bBAUG"},
			[]string{`40{"sid":"…"}`, `42["auth",{}]`, `452-["message-back",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]`, "bAQID", "bBAUG"}},
		{"24 ack", []string{"40", `42456["message-with-ack",1,"2",{"3":[false]}]`},
			[]string{`40{"sid":"…"}`, `42["auth",{}]`, `43456[1,"2",{"3":[false]}]`}},
		{"25 binary ack", []string{"40", `452-789["message-with-ack",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]`, "bAQID", "bBAUG"},
			[]string{`40{"sid":"…"}`, `42["auth",{}]`, `462-789[{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]`, "bAQID", "bBAUG"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, Config{})
			echoServer(h.srv, "/custom")
			f := h.dial(4)
			f.in(tc.in...)
			f.expect(t, tc.want...)
			f.expectNone(t, 5*time.Millisecond)
			if f.isClosed() {
				t.Fatal("session closed")
			}
		})
	}
}

func TestProtocolPolling(t *testing.T) {
	tests := []struct {
		name, post, get string
		pre             []string
	}{
		{"27", "40", `40{"sid":"…"}` + "\x1e" + `42["auth",{}]`, nil},
		{"28", `451-["message",{"_placeholder":true,"num":0}]` + "\x1ebAQID",
			`451-["message-back",{"_placeholder":true,"num":0}]` + "\x1ebAQID", []string{"40"}},
		{"29", `4212["message-with-ack","x"]` + "\x1e" + `40/custom,{"token":"t"}`,
			`4312["x"]` + "\x1e" + `40/custom,{"sid":"…"}` + "\x1e" + `42/custom,["auth",{"token":"t"}]`, []string{"40"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, Config{})
			echoServer(h.srv, "/custom")
			f := h.dial(4)
			if tc.pre != nil {
				f.in(tc.pre...)
				f.next(t, 2)
			}
			f.inPoll(tc.post)
			f.expectPoll(t, tc.get)
		})
	}
}

// Items 19, 20 and 26: what closes the session and what does not.
func TestProtocolClose(t *testing.T) {
	tests := []struct {
		name    string
		in      []string
		closed  bool
		replies int
	}{
		{"19 garbage before connect", []string{"4abc"}, true, 0},
		{"20 disconnect main keeps session", []string{"40", "41"}, false, 2},
		{"26 unknown type", []string{"40", "4abc"}, true, 2},
		{"26 event not array", []string{"40", "42{}"}, true, 2},
		{"26 bad ack id", []string{"40", `42abc["message-with-ack",1,"2",{"3":[false]}]`}, true, 2},
		{"duplicate connect", []string{"40", "40"}, true, 2},
		{"event for unjoined namespace", []string{"40", `42/custom,["message"]`}, true, 2},
		{"reserved event name", []string{"40", `42["disconnect"]`}, true, 2},
		{"text while attachments pending", []string{"40", `451-["message",{"_placeholder":true,"num":0}]`, "40"}, true, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, Config{})
			echoServer(h.srv, "/custom")
			f := h.dial(4)
			f.in(tc.in...)
			f.next(t, tc.replies)
			f.expectNone(t, 5*time.Millisecond)
			if f.isClosed() != tc.closed {
				t.Fatalf("closed = %v, want %v", f.isClosed(), tc.closed)
			}
		})
	}
}

func TestConnectTimeout(t *testing.T) {
	h := newHarness(t, Config{ConnectTimeout: 30 * time.Millisecond})
	f := h.dial(4)
	f.waitClosed(t, time.Second)

	g := h.dial(4) // joined in time: stays open
	g.in("40")
	time.Sleep(60 * time.Millisecond)
	if g.isClosed() {
		t.Fatal("connected session closed by connectTimeout")
	}
}

// protocol.md §5: Engine.IO v3 clients get Socket.IO protocol v4.
func TestProtocolV4OverEIO3(t *testing.T) {
	h := newHarness(t, Config{})
	echoServer(h.srv, "/custom")
	h.srv.Of("/admin").Use(func(_ *Socket, next func(error)) { next(&ConnectError{Message: "Not authorized"}) })
	var ids []string
	h.srv.Of("/custom").OnConnection(func(s *Socket) { ids = append(ids, s.ID()) })
	h.srv.OnConnection(func(s *Socket) { ids = append(ids, s.ID()) })
	f := h.dial(3)
	f.expect(t, "40", `42["auth",{}]`) // implicit main namespace
	f.in("40/custom?x=1,")
	f.expect(t, "40/custom,", `42/custom,["auth",{"x":"1"}]`)
	f.in(`42/custom,["message","a"]`)
	f.expect(t, `42/custom,["message-back","a"]`)
	f.in("40/admin,")
	f.expect(t, `44/admin,"Not authorized"`)
	f.in("40/nope,")
	f.expect(t, `44/nope,{"message":"Invalid namespace"}`)
	h.loop.Do(func() {})
	if len(ids) != 2 || ids[0] != f.id || ids[1] != "/custom#"+f.id {
		t.Fatalf("ids %q", ids)
	}
	f.in("40") // main namespace already connected: invalid state
	f.waitClosed(t, time.Second)
}

func TestSocketIDsAreIndependent(t *testing.T) {
	h := newHarness(t, Config{})
	seen := map[string]bool{}
	h.srv.OnConnection(func(s *Socket) { seen[s.ID()] = true })
	for range 50 {
		h.dial(4).in("40")
	}
	h.loop.Do(func() {})
	if len(seen) != 50 {
		t.Fatalf("%d distinct ids", len(seen))
	}
	for id := range seen {
		if len(id) != 20 || strings.ContainsAny(id, "+/=") || strings.HasPrefix(id, "engine") {
			t.Fatalf("bad id %q", id)
		}
	}
}

// Connections lend decoders from one pool per message; a binary packet
// waiting for its attachments keeps its own. Interleaving two such packets
// with plain events on other connections of the same loop must not mix
// them up.
func TestBinaryPacketsInterleavedAcrossConnections(t *testing.T) {
	h := newHarness(t, Config{})
	got := make(chan string, 8)
	h.srv.OnConnection(func(s *Socket) {
		s.On("m", func(s *Socket, args Args, _ AckFunc) {
			out, _ := args.String(0)
			for _, a := range args.Attachments() {
				out += fmt.Sprintf(" %x", a)
			}
			got <- out
		})
	})
	a, b, c := h.dial(4), h.dial(4), h.dial(4)
	for _, f := range []*fakeES{a, b, c} {
		f.in("40")
		f.next(t, 1)
	}
	a.in(`451-["m","a",{"_placeholder":true,"num":0}]`)
	b.in(`452-["m","b",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]`)
	c.in(`42["m","c1"]`)
	b.in("bAQID") // 01 02 03
	c.in(`42["m","c2"]`)
	a.in("bBAUG") // 04 05 06
	b.in("bBwgJ") // 07 08 09
	want := []string{"c1", "c2", "a 040506", "b 010203 070809"}
	for _, w := range want {
		select {
		case g := <-got:
			if g != w {
				t.Fatalf("got %q, want %q", g, w)
			}
		case <-time.After(2 * time.Second):
			t.Fatalf("no event, want %q", w)
		}
	}
}
