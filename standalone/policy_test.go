package standalone

import (
	"testing"

	"github.com/golang-jwt/jwt/v5"
)

// TestChannelPolicy: subscribe, presence and publish follow the patterns
// of the namespace, {sub} standing for the token's subject, and the
// channels claim; publish is refused where no pattern allows it, and in a
// namespace without patterns everything is refused.
func TestChannelPolicy(t *testing.T) {
	cfg := testConfig(t, "-auth", "jwt", "-jwt-secret", testSecret)
	cfg.Policy.Namespaces = map[string]NamespacePolicy{
		"/": {
			Subscribe: []string{"news", "chat:*", "private:{sub}"},
			Presence:  []string{"chat:*", "news"},
			Members:   []string{"chat:*"},
			Publish:   []string{"chat:*"},
		},
		"/quiet": {},
	}
	r := serve(t, cfg)
	hs := signer{method: jwt.SigningMethodHS256, key: []byte(testSecret)}
	alice := hs.token(t, jwt.MapClaims{"sub": "alice", "channels": []string{"vip:*"}})
	bob := hs.token(t, jwt.MapClaims{"sub": "b*"}) // a subject with a pattern character
	a := startClients(t, map[string]any{"url": r.url(), "opts": map[string]any{"auth": map[string]string{"token": alice}}})
	b := startClients(t, map[string]any{"url": r.url(), "opts": map[string]any{"auth": map[string]string{"token": bob}}})
	a.waitType("connect")
	b.waitType("connect")
	ok, denied := `{"ok":true}`, func(what, room string) string { return `{"error":"` + what + `: room ` + room + ` not allowed"}` }
	for _, tc := range []struct {
		c     *clients
		event string
		args  []any
		want  string
	}{
		{a, "subscribe", []any{"news"}, ok},
		{a, "subscribe", []any{"chat:go"}, ok},
		{a, "subscribe", []any{"chat:go/deep"}, denied("subscribe", "chat:go/deep")},
		{a, "subscribe", []any{"private:alice"}, ok},
		{a, "subscribe", []any{"private:bob"}, denied("subscribe", "private:bob")},
		{a, "subscribe", []any{"vip:lounge"}, ok}, // channels claim
		{b, "subscribe", []any{"vip:lounge"}, denied("subscribe", "vip:lounge")},
		{b, "subscribe", []any{"private:bx"}, denied("subscribe", "private:bx")}, // "b*" is literal
		{b, "subscribe", []any{"private:b*"}, ok},
		{b, "subscribe", []any{"chat:go"}, ok},
		{b, "subscribe", []any{42}, `{"error":"subscribe: the first argument must be a room name"}`},
		{a, "presence", []any{"chat:go"}, `{"count":2,"members":["alice","b*"]}`},
		{a, "presence", []any{"news"}, `{"count":1}`},
		{a, "presence", []any{"private:alice"}, `{"error":"presence: room private:alice not allowed"}`},
		{a, "unsubscribe", []any{"news"}, ok},
		{a, "presence", []any{"news"}, `{"count":0}`},
		{a, "publish", []any{"news", "hi", 1}, denied("publish", "news")},
		{a, "publish", []any{"chat:go", "connect", 1}, `{"error":"publish: event connect is reserved"}`},
		{a, "publish", []any{"chat:go", "hi", map[string]int{"n": 1}}, ok},
	} {
		if got := tc.c.emitAck(0, tc.event, tc.args...); got != tc.want && !(tc.event == "presence" && got == `{"count":2,"members":["b*","alice"]}` && tc.want == `{"count":2,"members":["alice","b*"]}`) {
			t.Errorf("%s %v: got %s, want %s", tc.event, tc.args, got, tc.want)
		}
	}
	// The publish reached bob (in chat:go), not alice (the sender).
	if e := b.nextEvent(0); e.Event != "hi" || joinRaw(e.Args) != `{"n":1}` {
		t.Fatalf("bob got %+v", e)
	}
	// A namespace listed without patterns refuses everything; one not
	// listed refuses the connection.
	q := startClients(t, map[string]any{"url": r.url(), "nsp": "/quiet", "opts": map[string]any{"auth": map[string]string{"token": alice}}})
	q.waitType("connect")
	if got := q.emitAck(0, "subscribe", "news"); got != denied("subscribe", "news") {
		t.Fatalf("quiet: %s", got)
	}
	x := startClients(t, map[string]any{"url": r.url(), "nsp": "/other", "opts": map[string]any{"auth": map[string]string{"token": alice}, "reconnection": false}})
	if e := x.waitType("connect_error"); e.Message != "Invalid namespace" {
		t.Fatalf("unlisted namespace: %q", e.Message)
	}
}
