package standalone

import (
	"sync"
	"time"
)

// announcer coalesces announcements that each go to many clients: however
// many times it is poked, send runs at most once per every. A poke after a
// quiet spell sends at once (a lone visitor sees the change immediately);
// pokes within every of the last send leave one send scheduled for when the
// interval is over, and that send reads the state then, so the last change
// is always announced.
//
// Why: the demo chat announced the user count to every socket on each
// arrival and departure, O(n) per connection and O(n²) per ramp. 18,000
// clients connecting made 162 million deliveries; the frames queued for
// clients that could not read them as fast held 280–1,300 MB of live heap and
// cut the ramp from ≈9,000 to ≈150 connections a second
// (docs/benchmarks.md, "The demo's user count", issue 16).
type announcer struct {
	every time.Duration
	send  func()

	mu      sync.Mutex
	last    time.Time // when send last started
	pending bool      // a send is scheduled (time.AfterFunc)
}

// poke asks for an announcement. Any goroutine; it never blocks beyond the
// mutex, and sends inline only on the leading edge (as the uncoalesced
// announcement did).
func (a *announcer) poke() {
	a.mu.Lock()
	if a.pending {
		a.mu.Unlock()
		return
	}
	if wait := a.every - time.Since(a.last); wait > 0 {
		a.pending = true
		a.mu.Unlock()
		time.AfterFunc(wait, a.fire)
		return
	}
	a.last = time.Now()
	a.mu.Unlock()
	a.send()
}

// fire is the scheduled send, on the timer's goroutine.
func (a *announcer) fire() {
	a.mu.Lock()
	a.pending = false
	a.last = time.Now()
	a.mu.Unlock()
	a.send()
}
