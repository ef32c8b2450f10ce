package main

import (
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sio-fast/sio-fast/internal/looptest"
	"github.com/sio-fast/sio-fast/standalone"
)

// -admin instruments the bench app: a polling client that connects to
// /admin with no credentials is accepted and gets the config of a
// development-mode, read-write instrumentation; without the flag /admin
// does not exist.
func TestAdminFlag(t *testing.T) {
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-mode", "bench-app", "-admin"}, `42/admin,["config",{"supportedFeatures":["EMIT","JOIN","LEAVE","DISCONNECT","MJOIN","MLEAVE","MDISCONNECT","AGGREGATED_EVENTS","ALL_EVENTS"]}]`},
		{[]string{"-mode", "bench-app"}, `44/admin,{"message":"Invalid namespace"}`},
	} {
		cfg, _, err := standalone.Load(tc.args, nil)
		if err != nil {
			t.Fatal(err)
		}
		h := newHandler(t, cfg, quiet)
		base := looptest.URL(looptest.Serve(t, h)) + "/socket.io/?EIO=4&transport=polling"
		open := poll(t, "GET", base, "")
		sid, _, ok := strings.Cut(strings.TrimPrefix(open, `0{"sid":"`), `"`)
		if !ok {
			t.Fatalf("handshake %q", open)
		}
		base += "&sid=" + sid
		poll(t, "POST", base, "40/admin,")
		var got string
		for deadline := time.Now().Add(10 * time.Second); !strings.Contains(got, tc.want) && time.Now().Before(deadline); {
			got += poll(t, "GET", base, "")
		}
		if !strings.Contains(got, tc.want) {
			t.Fatalf("%v: got %q, want it to contain %q", tc.args, got, tc.want)
		}
	}
}

// poll sends one polling request and returns its body.
func poll(t *testing.T, method, url, body string) string {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("%s %s: %d %s", method, url, resp.StatusCode, b)
	}
	return string(b)
}
