package main

import (
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/sio-fast/sio-fast/engineio"
)

// -ping-interval and -ping-timeout reach the engine of the bench app; left
// out, Node's defaults apply.
func TestPingFlags(t *testing.T) {
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, tc := range []struct {
		args               []string
		interval, pingTime time.Duration
	}{
		{[]string{"-mode", "bench-app", "-ping-interval", "300ms", "-ping-timeout", "200ms"}, 300 * time.Millisecond, 200 * time.Millisecond},
		{[]string{"-mode", "bench-app"}, 25 * time.Second, 20 * time.Second},
	} {
		f, err := parseFlags(tc.args)
		if err != nil {
			t.Fatal(err)
		}
		h, err := handlerFor(f, quiet)
		if err != nil {
			t.Fatal(err)
		}
		cfg := h.(*engineio.Server).Config()
		if cfg.PingInterval != tc.interval || cfg.PingTimeout != tc.pingTime {
			t.Fatalf("%v: pingInterval %v, pingTimeout %v", tc.args, cfg.PingInterval, cfg.PingTimeout)
		}
	}
	if _, err := parseFlags([]string{"-ping-timeout", "-1s"}); err == nil {
		t.Fatal("a negative duration was accepted")
	}
}

// -recovery turns on connection state recovery with skipMiddlewares.
func TestRecoveryFlag(t *testing.T) {
	f, err := parseFlags([]string{"-mode", "bench-app", "-recovery", "90s"})
	if err != nil {
		t.Fatal(err)
	}
	rec := recoveryConfig(f.recovery)
	if rec == nil || rec.MaxDisconnectionDuration != 90*time.Second || !rec.SkipMiddlewares {
		t.Fatalf("-recovery 90s: %+v", rec)
	}
	f, _ = parseFlags([]string{"-mode", "bench-app"})
	if rec := recoveryConfig(f.recovery); rec != nil {
		t.Fatalf("recovery on without -recovery: %+v", rec)
	}
	for _, bad := range []string{"soon", "-1s"} {
		if _, err := parseFlags([]string{"-recovery", bad}); err == nil {
			t.Fatalf("-recovery %s accepted", bad)
		}
	}
}
