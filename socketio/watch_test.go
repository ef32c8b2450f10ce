package socketio

import (
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

// logBuffer collects slog text output from any goroutine.
type logBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestStallWatchdogLogsAndCounts: a handler sleeping far longer than the
// threshold is logged while it blocks (namespace, socket) and when it
// returns (namespace, event, time held), and counted.
func TestStallWatchdogLogsAndCounts(t *testing.T) {
	var logs logBuffer
	h := newHarness(t, Config{StallThreshold: 20 * time.Millisecond, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	h.srv.Of("/slow").OnConnection(func(s *Socket) {
		s.On("lookup", func(*Socket, Args, AckFunc) { time.Sleep(400 * time.Millisecond) })
	})
	f := h.dial(4)
	f.in("40/slow,")
	f.next(t, 1)
	f.in(`42/slow,["lookup"]`) // returns when the handler did
	out := logs.String()
	if !strings.Contains(out, `msg="socketio: a handler is blocking its event loop`) || !strings.Contains(out, "namespace=/slow socket=") {
		t.Fatalf("no log while blocked:\n%s", out)
	}
	if !strings.Contains(out, `msg="socketio: handler blocked its event loop" namespace=/slow event=lookup held=`) {
		t.Fatalf("no log with the event after it returned:\n%s", out)
	}
	// At least this one (a loaded machine may also preempt the loop
	// during the CONNECT for longer than 20 ms).
	if n := h.srv.Stalls(); n < 1 {
		t.Fatalf("Stalls() = %d, want 1", n)
	}
	_ = h.srv.Close()
}

// TestStallWatchdogQuietForFastHandlers: handlers well under the threshold
// are neither logged nor counted; a negative threshold turns it off.
func TestStallWatchdogQuietForFastHandlers(t *testing.T) {
	for _, thr := range []time.Duration{2 * time.Second, -1} {
		var logs logBuffer
		h := newHarness(t, Config{StallThreshold: thr, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
		h.srv.OnConnection(func(s *Socket) {
			s.On("quick", func(_ *Socket, _ Args, ack AckFunc) { _ = ack(1) })
			s.On("slowish", func(*Socket, Args, AckFunc) { time.Sleep(150 * time.Millisecond) })
		})
		f := h.dial(4)
		f.in("40")
		f.next(t, 1)
		for i := range 50 {
			f.in(fmt.Sprintf(`2%d["quick"]`, i))
		}
		f.next(t, 50)
		if thr < 0 {
			f.in(`2["slowish"]`)
		}
		if n := h.srv.Stalls(); n != 0 || strings.Contains(logs.String(), "event loop") {
			t.Fatalf("threshold %v: %d stalls, logs:\n%s", thr, n, logs.String())
		}
		_ = h.srv.Close()
	}
}

// TestGoConcurrentRunsBounded: one socket's GoConcurrent functions run at
// the same time, at most SocketConcurrency of them; the rest wait, and
// every ack still carries its own event's arguments.
func TestGoConcurrentRunsBounded(t *testing.T) {
	h := newHarness(t, Config{SocketConcurrency: 3})
	var (
		mu           sync.Mutex
		running, top int
	)
	gate := make(chan struct{})
	h.srv.OnConnection(func(s *Socket) {
		s.On("lookup", func(s *Socket, args Args, ack AckFunc) {
			s.GoConcurrent(func() {
				mu.Lock()
				running++
				top = max(top, running)
				mu.Unlock()
				<-gate
				mu.Lock()
				running--
				mu.Unlock()
				_ = ack(args)
			})
		})
	})
	f := h.dial(4)
	f.in("40")
	f.next(t, 1)
	buf := make([]byte, 0, 64)
	for i := range 8 {
		f.inReused(buf, fmt.Sprintf(`2%d["lookup",%d]`, i, i))
	}
	waitFor(t, "3 lookups running at once", func() bool { mu.Lock(); defer mu.Unlock(); return running == 3 })
	time.Sleep(20 * time.Millisecond) // a fourth would have started by now
	close(gate)
	got := f.sentSet(t, 8)
	for i := range 8 {
		if m := fmt.Sprintf(`43%d[%d]`, i, i); !got[m] {
			t.Fatalf("missing %s in %v", m, got)
		}
	}
	if top != 3 {
		t.Fatalf("at most %d ran at once, want 3", top)
	}
}

// TestStallWatchdogSeesDisconnectListeners: user code run outside a packet
// (here a disconnect listener run when the engine closes) is watched too.
func TestStallWatchdogSeesDisconnectListeners(t *testing.T) {
	var logs logBuffer
	h := newHarness(t, Config{StallThreshold: 20 * time.Millisecond, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	h.srv.OnConnection(func(s *Socket) {
		s.OnDisconnect(func(*Socket, DisconnectReason) { time.Sleep(300 * time.Millisecond) })
	})
	f := h.dial(4)
	f.in("40")
	f.next(t, 1)
	h.loop.Do(func() { f.onClose("transport close", "") })
	if !strings.Contains(logs.String(), `msg="socketio: handler blocked its event loop" namespace="" event=(disconnect) held=`) || h.srv.Stalls() < 1 {
		t.Fatalf("%d stalls, logs:\n%s", h.srv.Stalls(), logs.String())
	}
}
