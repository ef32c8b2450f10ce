package standalone

import (
	"net/http"
	"os"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

func apiStatus(t *testing.T, url, key string) int {
	t.Helper()
	req, _ := http.NewRequest("GET", url+"/api/rooms/r", nil)
	req.Header.Set("Authorization", "apikey "+key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestSIGHUPReload: the command rereads its file on SIGHUP and applies the
// new API keys at once; /healthz stays up; a file that no longer validates
// keeps the running configuration.
func TestSIGHUPReload(t *testing.T) {
	bin := buildCommand(t)
	file := writeFile(t, "sio.yaml", "demo: false\napi:\n  addr: 127.0.0.1:0\n  keys: [old-key-0123456789]\n")
	p := startCommand(t, bin, "-addr", "127.0.0.1:0", "-config", file)
	if s := httpStatus(p.apiURL + "/healthz"); s != 200 {
		t.Fatalf("healthz %d", s)
	}
	if s := apiStatus(t, p.apiURL, "old-key-0123456789"); s != 200 {
		t.Fatalf("old key %d", s)
	}
	rewrite := func(content string) {
		if err := os.WriteFile(file, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := p.cmd.Process.Signal(syscall.SIGHUP); err != nil {
			t.Fatal(err)
		}
	}
	rewrite("demo: false\napi:\n  addr: 127.0.0.1:0\n  keys: [new-key-0123456789]\n")
	for deadline := time.Now().Add(10 * time.Second); apiStatus(t, p.apiURL, "new-key-0123456789") != 200; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("new key not accepted 10 s after SIGHUP")
		}
	}
	if s := apiStatus(t, p.apiURL, "old-key-0123456789"); s != 401 {
		t.Fatalf("old key after reload: %d", s)
	}
	rewrite("demo: false\napi:\n  keys: [short]\n")
	time.Sleep(500 * time.Millisecond)
	if s := apiStatus(t, p.apiURL, "new-key-0123456789"); s != 200 || httpStatus(p.apiURL+"/healthz") != 200 {
		t.Fatalf("a bad file replaced the configuration: %d", s)
	}
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := <-p.exited; err != nil {
		t.Fatalf("exit after drain: %v", err)
	}
}

// TestReloadComparesSecrets: a JWT secret changed to one with the same
// first characters (all that -print-config and errors show) is reported as
// needing a restart, by key name only, and keeps being reported until the
// restart; API keys changed the same way are applied at once.
func TestReloadComparesSecrets(t *testing.T) {
	const secret = "jwt-secret-0123456789-0123456789-aaaa"
	old := testConfig(t, "-auth", "jwt", "-jwt-secret", secret, "-api-keys", "key-0123456789-old")
	srv, err := New(old, quietLogger())
	if err != nil {
		t.Fatal(err)
	}
	next := testConfig(t, "-auth", "jwt", "-jwt-secret", secret[:len(secret)-4]+"bbbb", "-api-keys", "key-0123456789-new")
	if a, b := old.mustYAML(t), next.mustYAML(t); a != b {
		t.Fatalf("test premise: the redacted forms differ\n%s\n%s", a, b)
	}
	now, err := srv.Reload(old, next)
	if err == nil || !strings.Contains(err.Error(), "[auth.jwt.secret]") {
		t.Fatalf("reload error %v, want auth.jwt.secret named", err)
	}
	for _, v := range []string{secret, next.Auth.JWT.Secret, "bbbb", "aaaa"} {
		if strings.Contains(err.Error(), v) {
			t.Fatalf("reload error shows a secret: %v", err)
		}
	}
	if now.Auth.JWT.Secret != secret || !slices.Equal(now.API.Keys, []string{"key-0123456789-new"}) {
		t.Fatalf("in effect: secret changed %v, keys %v", now.Auth.JWT.Secret != secret, now.API.Keys)
	}
	if got := srv.live.Load().apiKeys; !slices.Equal(got, []string{"key-0123456789-new"}) {
		t.Fatalf("live keys %v", got)
	}
	// The same file again: the ignored change is reported again.
	if _, err := srv.Reload(now, next); err == nil || !strings.Contains(err.Error(), "auth.jwt.secret") {
		t.Fatalf("second reload: %v", err)
	}
	// A namespace added to the policy is not served before a restart: it
	// is reported each time too.
	more := *now
	more.Policy.Namespaces = map[string]NamespacePolicy{"/": {}, "/extra": {}}
	for range 2 {
		if now, err = srv.Reload(now, &more); err == nil || !strings.Contains(err.Error(), "the set of policy namespaces") {
			t.Fatalf("namespace added: %v", err)
		}
	}
	now.Policy = old.Policy
	// Only live keys changed: no error.
	same := *now
	same.API.Keys = []string{"key-0123456789-nex"}
	if _, err := srv.Reload(now, &same); err != nil {
		t.Fatalf("live-only change: %v", err)
	}
}

func (c *Config) mustYAML(t *testing.T) string {
	t.Helper()
	b, err := c.YAML()
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// limits.burst_collect is a loop option, read at start: a reload that
// changes it names it as needing a restart and keeps the running value.
func TestReloadBurstCollectNeedsRestart(t *testing.T) {
	old := testConfig(t)
	srv, err := New(old, quietLogger())
	if err != nil {
		t.Fatal(err)
	}
	now, err := srv.Reload(old, testConfig(t, "-burst-collect=false"))
	if err == nil || !strings.Contains(err.Error(), "[limits.burst_collect]") || !now.Limits.BurstCollect {
		t.Fatalf("reload: %v, in effect %v; want limits.burst_collect named and kept true", err, now.Limits.BurstCollect)
	}
}
