package standalone

import (
	"net/http"
	"os"
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
