package e2e

import (
	"errors"
	"net/url"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/sio-fast/sio-fast/internal/scripttest"
)

// TestBrowserReconnect opens the demo chat page twice in headless chromium,
// checks a message goes each way, then stops the server — first with
// SIGTERM (the drain closes every session), then with SIGKILL (the kernel
// resets the connections) — and starts it again on the same port. Each
// time both pages must notice the loss, reconnect by themselves (nothing
// reloads them) to a new Engine.IO session, and exchange messages again.
func TestBrowserReconnect(t *testing.T) {
	scripttest.NeedNode(t, "browser")
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skipf("%s missing (scripts/ci-setup.sh installs Debian's chromium)", chromiumPath)
	}
	bin := buildBinary(t)
	srv := runBinary(t, bin)
	u, err := url.Parse(srv.base)
	if err != nil {
		t.Fatal(err)
	}
	port, err := strconv.Atoi(u.Port())
	if err != nil {
		t.Fatal(err)
	}
	steer := func(name string) string {
		switch name {
		case "connected":
			srv.stop(t) // SIGTERM: the drain, which must exit cleanly
			return "stopped"
		case "reconnected-after-sigterm":
			srv.kill(t)
			return "stopped"
		case "disconnected-sigterm", "disconnected-sigkill":
			srv = restartOn(t, bin, port)
			return "restarted"
		}
		return ""
	}
	cases := []string{"connected",
		"disconnected-sigterm", "reconnected-after-sigterm",
		"disconnected-sigkill", "reconnected-after-sigkill"}
	scripttest.RunCasesFunc(t, 4*time.Minute, cases, steer,
		"browser", "node", "reconnect.js", srv.base, chromiumPath, t.TempDir())
}

// restartOn starts the binary again on port, which the previous process
// has just released. An outgoing connection of another test may hold the
// port for a moment (it is in the ephemeral range), so binding is retried
// for up to 30 s.
func restartOn(t *testing.T, bin string, port int) *binary {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		p, err := startBinary(bin, port)
		if err == nil {
			stopAtEnd(t, p)
			return p
		}
		if !errors.Is(err, errPortTaken) || time.Now().After(deadline) {
			t.Fatal(err)
		}
		t.Logf("restart: %v; retrying", err)
		time.Sleep(500 * time.Millisecond)
	}
}
