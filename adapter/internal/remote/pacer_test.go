package remote

import (
	"context"
	"testing"
	"time"
)

// The first wake-up never pauses (it would hang an hour here); the next
// one, less than Window later, pauses until the window ends or ctx does.
func TestPacerPausesOnlyWhenWakeUpsComeFast(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	p := Pacer{Window: time.Hour}
	p.Woke(ctx)
	go func() { time.Sleep(50 * time.Millisecond); cancel() }()
	start := time.Now()
	p.Woke(ctx)
	if d := time.Since(start); d < 50*time.Millisecond {
		t.Fatalf("second wake-up returned after %v, want a pause until ctx ended", d)
	}

	q := Pacer{Window: 30 * time.Millisecond}
	q.Woke(context.Background())
	start = time.Now()
	q.Woke(context.Background())
	if d := time.Since(start); d < 30*time.Millisecond {
		t.Fatalf("paused %v, want the 30ms window", d)
	}
}
