package standalone

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// parseMetrics parses the text format with Debian's python3-prometheus-client.
func parseMetrics(t *testing.T, text string) map[string]float64 {
	t.Helper()
	if exec.Command("/usr/bin/python3", "-I", "-c", "import prometheus_client").Run() != nil {
		t.Skip("python3-prometheus-client not installed (scripts/ci-setup.sh installs it)")
	}
	cmd := exec.Command("/usr/bin/python3", "-I", "parse_metrics.py")
	cmd.Dir = clientDir
	cmd.Stdin = strings.NewReader(text)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	var m map[string]float64
	if err := json.Unmarshal(out, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestMetricsCountTraffic: /metrics parses with the reference Python
// parser and its counters match the traffic sent: connects, a disconnect by
// reason, API emits and recipients, sessions by transport, sockets per
// namespace, bytes both ways.
func TestMetricsCountTraffic(t *testing.T) {
	r, c := apiServer(t, []string{"websocket"})
	for _, body := range []string{`{"rooms":["room-a"],"event":"x"}`, `{"event":"y","args":["` + strings.Repeat("z", 1000) + `"]}`} {
		if status, got := r.call(t, "POST", "/api/emit", testAPIKey, body); status != 200 {
			t.Fatal(got)
		}
	}
	for i := range 3 {
		c.nextEvent(i)
	}
	c.nextEvent(0)
	c.nextEvent(1)
	_, body := r.call(t, "GET", "/api/rooms/room-b", testAPIKey, "")
	var room roomInfo
	_ = json.Unmarshal([]byte(body), &room)
	r.call(t, "POST", "/api/disconnect", testAPIKey, `{"sid":"`+room.Members[0]+`"}`)
	c.waitType("disconnect")
	// socket.io-client closes the Engine.IO session of a manager whose last
	// socket was disconnected: the sessions drop to 2 soon after.
	var m map[string]float64
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		status, text := r.call(t, "GET", "/metrics", "", "")
		if status != 200 {
			t.Fatal(status)
		}
		if m = parseMetrics(t, text); m["sio_fast_engine_sessions{transport=websocket}"] == 2 || time.Now().After(deadline) {
			break
		}
	}
	for key, want := range map[string]float64{
		"sio_fast_socket_connects_total{namespace=/}":                                       3,
		"sio_fast_socket_disconnects_total{namespace=/,reason=server namespace disconnect}": 1,
		"sio_fast_api_emits_total{}":                                                        2,
		"sio_fast_api_recipients_total{}":                                                   5,
		"sio_fast_api_fanout_seconds_count{}":                                               2,
		"sio_fast_namespace_sockets{namespace=/}":                                           2,
		"sio_fast_namespace_sockets{namespace=/chat}":                                       0,
		"sio_fast_engine_sessions{transport=websocket}":                                     2,
		"sio_fast_engine_sessions{transport=polling}":                                       0,
		"sio_fast_auth_refusals_total{}":                                                    0,
	} {
		if got, ok := m[key]; !ok || got != want {
			t.Errorf("%s = %v (present %v), want %v", key, got, ok, want)
		}
	}
	// The 1,000-byte argument went out to three clients.
	if m["sio_fast_sent_bytes_total{}"] < 3000 || m["sio_fast_received_bytes_total{}"] < 3*100 {
		t.Errorf("bytes: sent %v, received %v", m["sio_fast_sent_bytes_total{}"], m["sio_fast_received_bytes_total{}"])
	}
	if _, ok := m["go_goroutines{}"]; !ok {
		t.Error("no Go collector")
	}
}
