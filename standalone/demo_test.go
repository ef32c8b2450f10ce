package standalone

import (
	"strconv"
	"testing"
	"time"
)

// TestDemoUsersCoalesced: with the demo on (the default), n socket.io-client
// sockets connect, then half of them leave. Every socket must end up shown
// the right count, and none may receive more "users" announcements than one
// per usersEvery (plus the leading one and the last): before the
// announcements were coalesced each arrival and departure went to every
// socket, n²/2 deliveries per ramp, and a ramp of 18,000 made 162 million.
func TestDemoUsersCoalesced(t *testing.T) {
	const n = 200
	cfg := testConfig(t)
	cfg.Demo = true
	r := serve(t, cfg)
	start := time.Now()
	c := startClients(t, map[string]any{"url": r.url(), "n": n, "quiet": true,
		"opts": map[string]any{"transports": []string{"websocket"}}})
	seen := c.waitUsers(n, n)
	checkAnnouncements(t, "arrival", seen, time.Since(start))

	start = time.Now()
	for i := n / 2; i < n; i++ {
		c.send(map[string]any{"i": i, "op": "disconnect"})
	}
	seen = c.waitUsers(n/2, n/2)
	checkAnnouncements(t, "departure", seen, time.Since(start))
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

// waitUsers reads events until sockets 0..live-1 have each been told the
// count want last, and returns how many "users" events each received
// meanwhile (lines of other types are held for later).
func (c *clients) waitUsers(live, want int) []int {
	c.t.Helper()
	seen := make([]int, live)
	last := make([]int, live)
	missing := live
	timeout := time.After(20 * time.Second)
	for missing > 0 {
		select {
		case e, ok := <-c.lines:
			if !ok {
				c.t.Fatalf("clients.js ended waiting for users=%d", want)
			}
			if e.Type != "event" || e.Event != "users" || e.I >= live || len(e.Args) != 1 {
				c.held = append(c.held, e)
				continue
			}
			v, err := strconv.Atoi(string(e.Args[0]))
			if err != nil {
				c.t.Fatalf("users: %s", e.Args[0])
			}
			seen[e.I]++
			switch {
			case v == want && last[e.I] != want:
				missing--
			case v != want && last[e.I] == want:
				missing++
			}
			last[e.I] = v
		case <-timeout:
			c.t.Fatalf("%d of %d sockets not told users=%d within 20 s (last told: %v)", missing, live, want, last)
		}
	}
	return seen
}
