package standalone

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// BenchmarkAPIEmitHTTP: publish API requests through real loopback HTTP
// (keep-alive), to a room with no member: the API's own cost per request.
func BenchmarkAPIEmitHTTP(b *testing.B) {
	cfg, _, err := Load([]string{"-api-keys", testAPIKey, "-demo=false"}, nil)
	if err != nil {
		b.Fatal(err)
	}
	r := serve(b, cfg)
	url := "http://" + r.APIAddr.String() + "/api/emit"
	body := `{"rooms":["nobody"],"event":"tick","args":[{"n":1}]}`
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for b.Loop() {
		req, _ := http.NewRequest("POST", url, strings.NewReader(body))
		req.Header.Set("Authorization", "apikey "+testAPIKey)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Fatal(resp.StatusCode)
		}
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
}

// BenchmarkPublishMetrics: one prepared emit (to an empty room) handed
// over with metrics off and on, side by side: what the counters and the
// fan-out histogram add per publish.
func BenchmarkPublishMetrics(b *testing.B) {
	for _, on := range []bool{false, true} {
		name := map[bool]string{false: "off", true: "on"}[on]
		b.Run(name, func(b *testing.B) {
			cfg, _, err := Load([]string{"-demo=false", "-metrics=" + map[bool]string{false: "false", true: "true"}[on]}, nil)
			if err != nil {
				b.Fatal(err)
			}
			s, err := New(cfg, quietLogger())
			if err != nil {
				b.Fatal(err)
			}
			p, err := s.prepare(&EmitRequest{Rooms: []string{"nobody"}, Event: "tick"})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if err := s.emit(p); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
