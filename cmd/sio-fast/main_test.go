package main

import (
	"flag"
	"log/slog"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/sio-fast/sio-fast/loop"
	"github.com/sio-fast/sio-fast/standalone"
)

// Arguments that are not flags are refused, never ignored: flag parsing
// stops at the first of them, so `sio-fast bench-app -port 9` used to run
// the chat server on the default port.
func TestParseFlagsRefusesPositionalArguments(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"bench-app", "-port", "9"}, `unexpected argument "bench-app": the mode is a flag, -mode bench-app`},
		{[]string{"-port", "9", "extra"}, `unexpected argument "extra"`},
		{[]string{"-mode", "bench-app", "--", "x"}, `unexpected argument "x"`},
	} {
		_, _, err := standalone.Load(tc.args, nil)
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%q: %v, want %s", tc.args, err, tc.want)
		}
	}
	cfg, _, err := standalone.Load([]string{"-mode", "bench-app", "-port", "9"}, nil)
	if err != nil || cfg.Mode != "bench-app" || !strings.HasSuffix(cfg.ListenAddr(), ":9") {
		t.Fatalf("flags: %+v %v", cfg, err)
	}
	if _, _, err := standalone.Load([]string{"-h"}, nil); err != flag.ErrHelp {
		t.Fatalf("-h: %v", err)
	}
}

// The binary exits 2 with the usage on stderr, before listening. (The
// variables that make the test binary act as main avoid the SIO_FAST_
// prefix: the configuration refuses unknown SIO_FAST_ variables.)
func TestMainRefusesPositionalArguments(t *testing.T) {
	if os.Getenv("SIOFAST_TEST_MAIN") == "1" {
		os.Args = append([]string{"sio-fast"}, strings.Fields(os.Getenv("SIOFAST_TEST_ARGS"))...)
		main()
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestMainRefusesPositionalArguments$")
	cmd.Env = append(os.Environ(), "SIOFAST_TEST_MAIN=1", "SIOFAST_TEST_ARGS=bench-app -port 9")
	out, err := cmd.CombinedOutput()
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != 2 || !strings.Contains(string(out), "Usage of sio-fast") ||
		!strings.Contains(string(out), "-mode bench-app") || strings.Contains(string(out), "listening") {
		t.Fatalf("exit %v, output:\n%s", err, out)
	}
}

// newHandler is handlerFor for tests: the handler's close func runs when t
// ends, after the loops serving it (started later: cleanups run in
// reverse order) stopped.
func newHandler(t testing.TB, cfg *standalone.Config, logger *slog.Logger) loop.Handler {
	t.Helper()
	h, closeHandler, err := handlerFor(cfg, logger)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := closeHandler(); err != nil {
			t.Error(err)
		}
	})
	return h
}
