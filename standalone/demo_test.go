package standalone

import (
	"strconv"
	"testing"
	"time"
)

// TestDemoUsersCoalesced: with the demo on (the default), watchers
// socket.io-client sockets ask for the user count ("users", as the demo
// page does), then n plain sockets connect and leave. The watchers must end
// up told the right count without receiving more than one announcement per
// usersEvery (plus the leading one and the last), and the plain sockets,
// which never asked, must receive none. Before, every arrival and departure
// was announced to every socket: n²/2 deliveries per ramp (a ramp of 18,000
// made 162 million).
func TestDemoUsersCoalesced(t *testing.T) {
	const watchers, n = 20, 200
	cfg := testConfig(t)
	cfg.Demo = true
	r := serve(t, cfg)
	opts := map[string]any{"transports": []string{"websocket"}}
	w := startClients(t, map[string]any{"url": r.url(), "n": watchers, "quiet": true, "opts": opts})
	w.waitType("ready")
	w.send(map[string]any{"i": -1, "op": "emit", "event": "users"})
	w.waitUsers(watchers, anyCount) // each has asked: the server answers at once

	start := time.Now()
	plain := startClients(t, map[string]any{"url": r.url(), "n": n, "quiet": true, "opts": opts})
	seen := w.waitUsers(watchers, watchers+n)
	checkAnnouncements(t, "arrival", seen, time.Since(start))

	start = time.Now()
	plain.send(map[string]any{"i": -1, "op": "disconnect"})
	seen = w.waitUsers(watchers, watchers)
	checkAnnouncements(t, "departure", seen, time.Since(start))

	for _, e := range append(plain.held, drainLines(plain)...) {
		if e.Type == "event" {
			t.Fatalf("plain socket %d received %q %s, which it never asked for", e.I, e.Event, joinRaw(e.Args))
		}
	}
}

// drainLines returns the lines c's script has written so far.
func drainLines(c *clients) []event {
	var out []event
	for {
		select {
		case e, ok := <-c.lines:
			if !ok {
				return out
			}
			out = append(out, e)
		default:
			return out
		}
	}
}

// checkAnnouncements fails when a socket received more "users" events in
// elapsed than coalescing allows: one per usersEvery, the leading one and
// one scheduled at the end.
func checkAnnouncements(t *testing.T, phase string, seen []int, elapsed time.Duration) {
	t.Helper()
	limit := int(elapsed/usersEvery) + 2
	for i, got := range seen {
		if got > limit {
			t.Fatalf("%s: socket %d received %d \"users\" announcements in %v (at most %d: one per %v)",
				phase, i, got, elapsed.Round(time.Millisecond), limit, usersEvery)
		}
	}
}

// anyCount makes waitUsers wait for one "users" event per socket, whatever
// its count.
const anyCount = -1

// waitUsers reads events (held ones first) until sockets 0..live-1 have
// each been told the count want last (anyCount: any count), and returns how
// many "users" events each received meanwhile; other lines are held.
func (c *clients) waitUsers(live, want int) []int {
	c.t.Helper()
	seen := make([]int, live)
	last := make([]int, live)
	missing := live
	take := func(e event) {
		if e.Type != "event" || e.Event != "users" || e.I >= live || len(e.Args) != 1 {
			c.held = append(c.held, e)
			return
		}
		v, err := strconv.Atoi(string(e.Args[0]))
		if err != nil {
			c.t.Fatalf("users: %s", e.Args[0])
		}
		seen[e.I]++
		if want == anyCount {
			v = want
		}
		switch {
		case v == want && last[e.I] != want:
			missing--
		case v != want && last[e.I] == want:
			missing++
		}
		last[e.I] = v
	}
	held := c.held
	c.held = nil
	for _, e := range held {
		take(e)
	}
	timeout := time.After(20 * time.Second)
	for missing > 0 {
		select {
		case e, ok := <-c.lines:
			if !ok {
				c.t.Fatalf("clients.js ended waiting for users=%d", want)
			}
			take(e)
		case <-timeout:
			c.t.Fatalf("%d of %d sockets not told users=%d within 20 s (last told: %v)", missing, live, want, last)
		}
	}
	return seen
}
