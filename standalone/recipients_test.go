package standalone

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestAPIRecipientsAreWhatClientsReceive: for overlapping rooms, except
// rooms, socket-id rooms, an empty room list (the whole namespace) and a
// missing room, the recipients the API answers (emit and batch) are the
// stock clients that receive the event; a client that disconnected is in
// no count.
func TestAPIRecipientsAreWhatClientsReceive(t *testing.T) {
	cfg := testConfig(t, "-api-keys", testAPIKey)
	cfg.Policy.Namespaces = map[string]NamespacePolicy{"/": {Subscribe: []string{"*"}}}
	r := serve(t, cfg)
	c := startClients(t, map[string]any{"url": r.url(), "n": 6, "opts": map[string]any{"transports": []string{"websocket"}}})
	c.waitType("ready")
	ids := make([]string, 6)
	for i := range ids {
		ids[i] = c.waitFor("connect", func(e event) bool { return e.Type == "connect" && e.I == i }).ID
	}
	for i, rooms := range [][]string{{"a"}, {"a", "b"}, {"b"}, {"c"}, {}, {"a", "b"}} {
		for _, room := range rooms {
			if got := c.emitAck(i, "subscribe", room); got != `{"ok":true}` {
				t.Fatalf("subscribe %d %s: %s", i, room, got)
			}
		}
	}
	c.send(map[string]any{"i": 5, "op": "disconnect"})
	waitRoomCount(t, r, "a", 2) // the server saw 5 leave

	connected := []int{0, 1, 2, 3, 4}
	sels := []struct {
		rooms, except []string
		want          int
	}{
		{nil, nil, 5},
		{[]string{"a"}, nil, 2},
		{[]string{"a", "b"}, nil, 3},
		{[]string{"a", "b"}, []string{"b"}, 1},
		{nil, []string{"a"}, 3},
		{[]string{"nobody"}, nil, 0},
		{[]string{"a", ids[3]}, []string{ids[1]}, 2},
		{[]string{"c", "b", ids[5]}, []string{"a", "nobody"}, 2},
		{[]string{ids[4], ids[4], "c"}, []string{ids[3]}, 1},
	}
	reqs := make([]EmitRequest, len(sels))
	for k, s := range sels {
		reqs[k] = EmitRequest{Rooms: s.rooms, Except: s.except, Event: fmt.Sprintf("sel-%d", k)}
	}
	// Each emit alone, then all of them in one batch; after each, an event
	// to everybody marks the end of what a client may receive.
	for round, path := range []string{"/api/emit", "/api/batch"} {
		counts := make([]int, len(sels))
		if path == "/api/emit" {
			for k := range reqs {
				var out emitted
				postJSON(t, r, path, reqs[k], &out)
				counts[k] = out.Recipients
			}
		} else {
			var out struct{ Results []emitted }
			postJSON(t, r, path, reqs, &out)
			for k, e := range out.Results {
				counts[k] = e.Recipients
			}
		}
		mark := fmt.Sprintf("mark-%d", round)
		postJSON(t, r, "/api/emit", EmitRequest{Event: mark}, new(emitted))
		received := make([]int, len(sels))
		for _, i := range connected {
			for e := c.nextEvent(i); e.Event != mark; e = c.nextEvent(i) {
				var k int
				if _, err := fmt.Sscanf(e.Event, "sel-%d", &k); err != nil {
					t.Fatalf("socket %d: unexpected event %q", i, e.Event)
				}
				received[k]++
			}
		}
		for k, s := range sels {
			if counts[k] != received[k] || counts[k] != s.want {
				t.Errorf("%s rooms %v except %v: answered %d recipients, %d clients received, want %d",
					path, s.rooms, s.except, counts[k], received[k], s.want)
			}
		}
	}
}

// postJSON posts v as JSON and decodes the 200 answer into out.
func postJSON(t *testing.T, r *Running, path string, v, out any) {
	t.Helper()
	body, _ := json.Marshal(v)
	status, got := r.call(t, "POST", path, testAPIKey, string(body))
	if status != 200 {
		t.Fatalf("POST %s %s: %d %s", path, body, status, got)
	}
	if err := json.Unmarshal([]byte(got), out); err != nil {
		t.Fatalf("POST %s: %v in %s", path, err, got)
	}
}

// waitRoomCount waits (up to 20 s) until GET /api/rooms/room counts n.
func waitRoomCount(t *testing.T, r *Running, room string, n int) {
	t.Helper()
	want := fmt.Sprintf(`"count":%d,`, n)
	deadline := time.Now().Add(20 * time.Second)
	for {
		_, body := r.call(t, "GET", "/api/rooms/"+room, testAPIKey, "")
		if strings.Contains(body, want) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("room %s: %s, want count %d", room, body, n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
