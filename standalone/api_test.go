package standalone

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// apiServer serves "/" and "/chat" with subscribe allowed everywhere, and
// connects three stock clients: 0 and 1 in room-a, 2 in room-b.
func apiServer(t *testing.T, transports []string) (*Running, *clients) {
	t.Helper()
	cfg := testConfig(t, "-api-keys", testAPIKey+",second-key-0123456789", "-api-max-body", "2048")
	cfg.Policy.Namespaces = map[string]NamespacePolicy{"/": {Subscribe: []string{"*"}}, "/chat": {}}
	r := serve(t, cfg)
	c := startClients(t, map[string]any{"url": r.url(), "n": 3, "opts": map[string]any{"transports": transports}})
	c.waitType("ready")
	for i, room := range []string{"room-a", "room-a", "room-b"} {
		if got := c.emitAck(i, "subscribe", room); got != `{"ok":true}` {
			t.Fatalf("subscribe %d: %s", i, got)
		}
	}
	return r, c
}

// nextEvent returns the next event line received by socket i, skipping
// lines of other sockets.
func (c *clients) nextEvent(i int) event {
	c.t.Helper()
	return c.waitFor("an event", func(e event) bool { return e.Type == "event" && e.I == i })
}

// TestAPIEmit: publishes through real HTTP reach exactly the stock clients
// of their rooms (except applied), with JSON and binary arguments, on
// polling and WebSocket (volatile on WebSocket); the answer counts the
// recipients; disconnects by sid and by room reach the clients.
func TestAPIEmit(t *testing.T) {
	for _, transports := range [][]string{{"polling"}, {"websocket"}} {
		t.Run(transports[0], func(t *testing.T) {
			r, c := apiServer(t, transports)
			post := func(path, body, want string) {
				t.Helper()
				status, got := r.call(t, "POST", path, testAPIKey, body)
				if status != 200 || got != want {
					t.Fatalf("POST %s %s: %d %s, want %s", path, body, status, got, want)
				}
			}
			// Events are received in order per socket: each socket's next
			// event shows which emits reached it.
			post("/api/emit", `{"rooms":["room-a"],"event":"one","args":[1,"two",{"x":[3]}]}`, `{"recipients":2}`)
			post("/api/emit", `{"except":["room-a"],"event":"two","args":[{"$base64":"AAECAw=="}, "tail"]}`, `{"recipients":1}`)
			// Volatile packets are dropped for a polling client with no GET
			// waiting; a WebSocket client that can take them gets them.
			volatile := transports[0] == "websocket"
			post("/api/emit", `{"namespace":"/","rooms":["room-a","room-b"],"except":["room-b"],"event":"three","volatile":`+fmt.Sprint(volatile)+`}`, `{"recipients":2}`)
			post("/api/batch", `[{"rooms":["room-b"],"event":"four","args":[4]},{"event":"five","args":[null]}]`, `{"results":[{"recipients":1},{"recipients":3}]}`)
			want := map[int][]string{
				0: {`one:1,"two",{"x":[3]}`, "three:", "five:null"},
				1: {`one:1,"two",{"x":[3]}`, "three:", "five:null"},
				2: {`two:{"$base64":"AAECAw=="},"tail"`, "four:4", "five:null"},
			}
			for i, events := range want {
				for _, w := range events {
					e := c.nextEvent(i)
					if got := e.Event + ":" + joinRaw(e.Args); got != w {
						t.Errorf("socket %d: got %s, want %s", i, got, w)
					}
				}
			}
			// A room's members, then disconnects by sid and by room.
			status, body := r.call(t, "GET", "/api/rooms/room-a", testAPIKey, "")
			var room roomInfo
			if status != 200 || json.Unmarshal([]byte(body), &room) != nil || room.Count != 2 || len(room.Members) != 2 || room.Namespace != "/" {
				t.Fatalf("rooms: %d %s", status, body)
			}
			post("/api/disconnect", `{"sid":"`+room.Members[0]+`"}`, `{"disconnected":1}`)
			// close:true ends the Engine.IO session too, after the
			// DISCONNECT packet (on polling in a GET before the close).
			post("/api/disconnect", `{"rooms":["room-b"],"close":true}`, `{"disconnected":1}`)
			got := map[int]string{}
			for len(got) < 2 {
				e := c.waitType("disconnect")
				got[e.I] = e.Reason
			}
			if _, ok := got[2]; !ok {
				t.Fatalf("disconnects %v: socket 2 (room-b) missing", got)
			}
			for i, reason := range got {
				if reason != "io server disconnect" {
					t.Fatalf("socket %d disconnected with %q (all: %v)", i, reason, got)
				}
			}
			if status, body := r.call(t, "GET", "/api/rooms/room-a", "second-key-0123456789", ""); status != 200 || !strings.Contains(body, `"count":1`) {
				t.Fatalf("after disconnect: %d %s", status, body)
			}
		})
	}
}

// TestAPIErrors: every refusal is a JSON error with its status, and a batch
// with one bad element sends nothing.
func TestAPIErrors(t *testing.T) {
	r, c := apiServer(t, []string{"websocket"})
	big := `{"event":"x","args":["` + strings.Repeat("a", 4096) + `"]}`
	for _, tc := range []struct {
		method, path, key, body string
		status                  int
		want                    string
	}{
		{"POST", "/api/emit", "", `{"event":"x"}`, 401, "missing Authorization: apikey <key>"},
		{"POST", "/api/emit", "wrong-key-0123456789", `{"event":"x"}`, 401, "unknown API key"},
		{"GET", "/api/rooms/a", "", "", 401, "missing Authorization: apikey <key>"},
		{"POST", "/api/emit", testAPIKey, `{"event":`, 400, "bad JSON body: unexpected EOF"},
		{"POST", "/api/emit", testAPIKey, `{"event":"x","room":"a"}`, 400, `bad JSON body: json: unknown field "room"`},
		{"POST", "/api/emit", testAPIKey, `{"event":"x"} {}`, 400, "bad JSON body: more than one value"},
		{"POST", "/api/emit", testAPIKey, `{"rooms":["a"]}`, 400, `event "": empty or reserved`},
		{"POST", "/api/emit", testAPIKey, `{"event":"disconnect"}`, 400, `event "disconnect": empty or reserved`},
		{"POST", "/api/emit", testAPIKey, `{"event":"x","args":[{"$base64":"***"}]}`, 400, "args[0]: $base64: illegal base64 data at input byte 0"},
		{"POST", "/api/emit", testAPIKey, `{"namespace":"/nope","event":"x"}`, 404, `unknown namespace "/nope"`},
		{"GET", "/api/rooms/a?namespace=/nope", testAPIKey, "", 404, `unknown namespace "/nope"`},
		{"POST", "/api/emit", testAPIKey, big, 413, "body larger than 2048 bytes"},
		{"POST", "/api/batch", testAPIKey, `[{"event":"sent-never"},{"event":"connect"}]`, 400, `[1]: event "connect": empty or reserved`},
		{"POST", "/api/batch", testAPIKey, `{"event":"x"}`, 400, "bad JSON body: json: cannot unmarshal object into Go value of type []standalone.EmitRequest"},
		{"POST", "/api/disconnect", testAPIKey, `{}`, 400, "give rooms or sid, not both or neither"},
		{"POST", "/api/disconnect", testAPIKey, `{"sid":"nobody"}`, 404, `no socket "nobody" in namespace "/"`},
	} {
		status, body := r.call(t, tc.method, tc.path, tc.key, tc.body)
		var e struct{ Error string }
		if status != tc.status || json.Unmarshal([]byte(body), &e) != nil || e.Error != tc.want {
			t.Errorf("%s %s %s: %d %s, want %d %q", tc.method, tc.path, tc.body, status, body, tc.status, tc.want)
		}
	}
	// Nothing of the refused batch was sent: the next event is this one.
	if status, _ := r.call(t, "POST", "/api/emit", testAPIKey, `{"event":"after"}`); status != 200 {
		t.Fatal(status)
	}
	if e := c.nextEvent(0); e.Event != "after" {
		t.Fatalf("got %s", e.Event)
	}
	status, body := r.call(t, "GET", "/api/openapi.json", "", "")
	var doc struct{ Paths map[string]any }
	if status != 200 || json.Unmarshal([]byte(body), &doc) != nil || len(doc.Paths) != 4 {
		t.Fatalf("openapi: %d %.200s", status, body)
	}
	r.live.Store(&liveConfig{}) // no keys: the API is off
	if status, body := r.call(t, "POST", "/api/emit", testAPIKey, `{"event":"x"}`); status != 401 || !strings.Contains(body, "api.keys is empty") {
		t.Fatalf("no keys: %d %s", status, body)
	}
}
