package main

import (
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/sio-fast/sio-fast/engineio"
	"github.com/sio-fast/sio-fast/standalone"
)

// The heartbeat flags reach the engine of the bench app; left out, Node's
// defaults apply.
func TestBenchAppFlags(t *testing.T) {
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, tc := range []struct {
		args               []string
		interval, pingTime time.Duration
	}{
		{[]string{"-mode", "bench-app", "-ping-interval", "300ms", "-ping-timeout", "200ms"}, 300 * time.Millisecond, 200 * time.Millisecond},
		{[]string{"-mode", "bench-app"}, 25 * time.Second, 20 * time.Second},
	} {
		cfg, _, err := standalone.Load(tc.args, nil)
		if err != nil {
			t.Fatal(err)
		}
		h := newHandler(t, cfg, quiet)
		ec := h.(*engineio.Server).Config()
		if ec.PingInterval != tc.interval || ec.PingTimeout != tc.pingTime {
			t.Fatalf("%v: pingInterval %v, pingTimeout %v", tc.args, ec.PingInterval, ec.PingTimeout)
		}
	}
}

// -recovery sets the connection state recovery window (0, the default:
// off); bad values are refused.
func TestRecoveryFlag(t *testing.T) {
	cfg, _, err := standalone.Load([]string{"-mode", "bench-app", "-recovery", "90s"}, nil)
	if err != nil || cfg.Recovery != 90*time.Second {
		t.Fatalf("-recovery 90s: %v %v", cfg, err)
	}
	newHandler(t, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if cfg, _, _ = standalone.Load([]string{"-mode", "bench-app"}, nil); cfg.Recovery != 0 {
		t.Fatalf("recovery on without -recovery: %v", cfg.Recovery)
	}
	for _, bad := range []string{"soon", "-1s"} {
		if _, _, err := standalone.Load([]string{"-recovery", bad}, nil); err == nil {
			t.Fatalf("-recovery %s accepted", bad)
		}
	}
}
