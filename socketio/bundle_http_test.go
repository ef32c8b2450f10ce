package socketio_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"strconv"
	"testing"

	"github.com/sio-fast/sio-fast/engineio"
	"github.com/sio-fast/sio-fast/socketio"
)

// fetchBundle requests the client bundle from a running server without
// Go's transparent decompression, so the test sees what went on the wire.
func fetchBundle(t *testing.T, method, url string, hdr map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url+"/socket.io/socket.io.min.js", nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	c := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

// The bundle served by NewEngine's engine over TCP carries the engine's
// CORS headers for an allowed origin and is gzip-compressed for a client
// that accepts it, as Node's serveClient with cors configured.
func TestBundleOverHTTPHasCORSAndCompression(t *testing.T) {
	sio := socketio.NewServer(socketio.Config{})
	url := serveInterop(t, sio, engineio.Config{CORS: &engineio.CORS{Origins: []string{"https://app.example"}}})
	const origin = "https://app.example"

	plain, raw := fetchBundle(t, "GET", url, map[string]string{"Origin": origin})
	if plain.StatusCode != 200 || plain.Header.Get("Content-Encoding") != "" || len(raw) < 10000 {
		t.Fatalf("identity: %d %v, %d bytes", plain.StatusCode, plain.Header, len(raw))
	}
	resp, body := fetchBundle(t, "GET", url, map[string]string{"Origin": origin, "Accept-Encoding": "gzip, deflate, br"})
	if resp.StatusCode != 200 || resp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("gzip: %d %v", resp.StatusCode, resp.Header)
	}
	if got := resp.Header.Get("Access-Control-Allow-Origin"); got != origin {
		t.Fatalf("Access-Control-Allow-Origin %q, want %q (headers %v)", got, origin, resp.Header)
	}
	if v := resp.Header.Values("Vary"); len(v) != 2 {
		t.Fatalf("Vary %q, want Accept-Encoding and Origin", v)
	}
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	unzipped, err := io.ReadAll(zr)
	if err != nil || !bytes.Equal(unzipped, raw) {
		t.Fatalf("gzip body: %v, %d bytes decoded, want %d", err, len(unzipped), len(raw))
	}
	t.Logf("socket.io.min.js: %d bytes, %d gzipped", len(raw), len(body))

	head, hb := fetchBundle(t, "HEAD", url, map[string]string{"Accept-Encoding": "gzip"})
	if head.StatusCode != 200 || len(hb) != 0 || head.Header.Get("Content-Length") != strconv.Itoa(len(body)) {
		t.Fatalf("HEAD: %d, Content-Length %s (want %d), %d body bytes", head.StatusCode, head.Header.Get("Content-Length"), len(body), len(hb))
	}
	other, _ := fetchBundle(t, "GET", url, map[string]string{"Origin": "https://evil.example"})
	if got := other.Header.Get("Access-Control-Allow-Origin"); other.StatusCode != 200 || got != "" {
		t.Fatalf("disallowed origin: %d, Access-Control-Allow-Origin %q", other.StatusCode, got)
	}
	pre, _ := fetchBundle(t, "OPTIONS", url, map[string]string{"Origin": origin, "Access-Control-Request-Method": "GET"})
	if pre.StatusCode != 204 || pre.Header.Get("Access-Control-Allow-Origin") != origin {
		t.Fatalf("preflight: %d %v", pre.StatusCode, pre.Header)
	}

	noCORS := serveInterop(t, socketio.NewServer(socketio.Config{}), engineio.Config{})
	if r, _ := fetchBundle(t, "GET", noCORS, map[string]string{"Origin": origin}); r.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("CORS headers without Config.CORS: %v", r.Header)
	}
}
