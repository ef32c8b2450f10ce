package engineio

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// BenchmarkPollingRoundTrip measures one polling message round trip (a
// POST of "4x", then the GET that carries the echo back) over loopback with
// net/http's client, served by the reactor and by the net/http mount side
// by side: what the mount costs per polling request.
func BenchmarkPollingRoundTrip(b *testing.B) {
	for _, via := range []string{"reactor", "nethttp"} {
		b.Run(via, func(b *testing.B) {
			var base string
			if via == "reactor" {
				_, base = startEcho(b, Config{})
			} else {
				_, base = startMounted(b, Config{}, nil, nil)
			}
			sid := handshakePolling(b, base, eioPath)
			url := base + eioPath + "?EIO=4&transport=polling&sid=" + sid
			b.ReportAllocs()
			for b.Loop() {
				resp, err := client.Post(url, "text/plain", strings.NewReader("4x"))
				if err != nil {
					b.Fatal(err)
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				resp, err = client.Get(url)
				if err != nil {
					b.Fatal(err)
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK || string(body) != "4x" {
					b.Fatalf("GET: %d %q", resp.StatusCode, body)
				}
			}
		})
	}
}
