package remote

import (
	"context"
	"time"
)

// Waited is how long a read must have taken to count as a wake-up: less
// means its message was already there (buffered, or arrived while the
// previous one was handled) and the reader did not sleep for it.
const Waited = 50 * time.Microsecond

// Pacer batches a receiving goroutine's wake-ups. An idle process woken
// for every message spends most of its CPU in the scheduler going to
// sleep and waking up again (56% of a node's CPU per remote broadcast in
// a profile, against 4% decoding). When wake-ups come less than Window
// apart, the reader pauses Window after one, and the messages that arrive
// meanwhile are read together: about two wake-ups per Window instead of
// one per message, for at most Window of added latency, and only at those
// rates (a message that comes after a quiet Window is handled at once).
// One goroutine only.
type Pacer struct {
	Window time.Duration // 0 or negative: never pause
	last   time.Time     // when the previous wake-up's pause (if any) ended
}

// Woke is called after a read that had to wait. It pauses Window (or
// until ctx ends) when the previous wake-up was less than Window ago.
func (p *Pacer) Woke(ctx context.Context) {
	now := time.Now()
	if p.Window > 0 && now.Sub(p.last) < p.Window {
		t := time.NewTimer(p.Window)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
		}
		now = time.Now()
	}
	p.last = now
}
