package load

import (
	"crypto/tls"
	"strings"
	"testing"
	"time"

	"github.com/sio-fast/sio-fast/bench/internal/wsclient"
)

func TestParseData(t *testing.T) {
	tests := []struct {
		in      string
		ts, seq int64
		ok      bool
	}{
		{`2["broadcast",{"t":100123456789,"p":"42xxxx"}]`, 100123456789, 42, true},
		{`317[{"p":"7","t":5}]`, 5, 7, true}, // keys re-ordered by a Go server
		{`2["broadcast",{"t":1}]`, 0, 0, false},
		{`2["broadcast",{"t":"x","p":"1"}]`, 0, 1, false},
		{``, 0, 0, false},
	}
	for _, tc := range tests {
		ts, seq, ok := parseData([]byte(tc.in))
		if ok != tc.ok || (ok && (ts != tc.ts || seq != tc.seq)) {
			t.Errorf("%q: got %d %d %v", tc.in, ts, seq, ok)
		}
	}
}

func TestAppendDataPadding(t *testing.T) {
	tests := []struct {
		payload int
		seq     uint64
		want    string
	}{
		{8, 42, `{"t":7,"p":"42xxxxxx"}`},
		{1, 12345, `{"t":7,"p":"12345"}`},
	}
	for _, tc := range tests {
		r := &runner{pad: []byte("xxxxxxxxxxxxxxxx")[:tc.payload]}
		if got := string(r.appendData(nil, tc.seq, 7)); got != tc.want {
			t.Errorf("got %s want %s", got, tc.want)
		}
		ts, seq, ok := parseData(r.appendData(nil, tc.seq, 7))
		if !ok || ts != 7 || seq != int64(tc.seq) {
			t.Errorf("round trip %d %d %v", ts, seq, ok)
		}
	}
}

// TestLossAccounting drives the tracker the way workers do: expected counts
// armed per message, deliveries in and out of the measured window, a
// duplicate and a missing delivery.
func TestLossAccounting(t *testing.T) {
	tr := newTracker(1)
	now := time.Now()
	for seq := uint64(0); seq < 4; seq++ {
		tr.ring[seq].Store(3)
	}
	tr.from.Store(1)
	tr.to.Store(3)
	deliveries := []uint64{0, 0, 0, 1, 1, 1, 1, 2, 2, 3, 3, 3}
	for _, seq := range deliveries {
		tr.deliver(0, seq, 0, now)
	}
	if got := tr.received.Load(); got != 5 { // seq 1: 3, seq 2: 2
		t.Errorf("received %d want 5", got)
	}
	if got := tr.dup.Load(); got != 1 {
		t.Errorf("dup %d want 1", got)
	}
	if got := tr.done.Load(); got != 3 { // 0, 1, 3 complete; 2 misses one
		t.Errorf("done %d want 3", got)
	}
	if got := tr.lat.Count(); got != 5 {
		t.Errorf("latency samples %d", got)
	}
}

func TestSources(t *testing.T) {
	if s := sources(2000, 0); len(s) != 1 || s[0].IsValid() {
		t.Fatalf("small run should not bind: %v", s)
	}
	if s := sources(100000, 0); len(s) < 4 || s[0].String() != "127.0.0.1" {
		t.Fatalf("large run: %v", s)
	}
	if s := sources(10, 300); s[299].String() != "127.0.1.44" {
		t.Fatalf("forced: %v", s[299])
	}
}

func TestParseScenarios(t *testing.T) {
	def := map[string]float64{"fanout": 10, "room": 200, "echo": 0}
	got, err := ParseScenarios("idle,fanout,fanout@100,fanout@max,fanout-max,room,echo,echo@10000", def)
	if err != nil {
		t.Fatal(err)
	}
	want := []Scenario{{"idle", 0}, {"fanout", 10}, {"fanout", 100}, {"fanout", 0}, {"fanout", 0},
		{"room", 200}, {"echo", 0}, {"echo", 10000}}
	labels := []string{"idle", "fanout", "fanout", "fanout-max", "fanout-max", "room", "echo-max", "echo"}
	if len(got) != len(want) {
		t.Fatalf("got %v", got)
	}
	for i := range want {
		if got[i] != want[i] || got[i].Label() != labels[i] {
			t.Errorf("%d: got %v %q, want %v %q", i, got[i], got[i].Label(), want[i], labels[i])
		}
	}
	if all, _ := ParseScenarios("all", def); len(all) != 5 || all[2].Label() != "fanout-max" {
		t.Errorf("all: %v", all)
	}
	for _, bad := range []string{"fanout@0", "fanout@x", "nope", "idle-max@3"} {
		if _, err := ParseScenarios(bad, def); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// TestResultTransport: default runs keep their JSON unchanged; polling-upgrade
// and wss:// runs say so in every result.
func TestResultTransport(t *testing.T) {
	r := &runner{cfg: Config{Peer: "p", Clients: 3}}
	if got := r.result("idle"); got.Transport != "" || got.Peer != "p" || got.Clients != 3 || got.Scenario != "idle" {
		t.Errorf("websocket: %+v", got)
	}
	r.cfg.Transport = wsclient.TransportPollingUpgrade
	if got := r.result("fanout-max"); got.Transport != "polling-upgrade" || got.Scenario != "fanout-max" || got.TLS {
		t.Errorf("polling-upgrade: %+v", got)
	}
	r.cfg.Transport = wsclient.TransportPolling
	if got := r.result("idle"); got.Transport != "polling" || got.Scenario != "idle-polling" {
		t.Errorf("polling: %+v", got)
	}
	r.cfg = Config{TLS: &tls.Config{}}
	if got := r.result("fanout"); !got.TLS || got.Transport != "" {
		t.Errorf("wss: %+v", got)
	}
}

// Packets the generator cannot read are counted, reported, and fail the
// scenario when Config.FailOnUnparsable (CI's quick runs) is set.
func TestUnparsablePackets(t *testing.T) {
	tr := newTracker(1)
	now := time.Now()
	tr.ring[7].Store(1)
	for _, p := range []string{`2["broadcast",{"t":1,"p":"7x"}]`, `317[{"oops":1}]`, `1`, `2["broadcast",{"t":"x"}]`, `317[["room"]]`} {
		tr.OnPacket(nil, []byte(p), now)
	}
	if bad, got, acks := tr.bad.Load(), tr.got.Load(), tr.joinAcks.Load(); bad != 3 || got != 1 || acks != 1 {
		t.Fatalf("unparsable %d, deliveries %d, join acks %d; want 3, 1, 1", bad, got, acks)
	}
	var figs Result
	tr.badFigures(&figs)
	if figs.Unparsable != 3 || figs.FirstUnparsable != `317[{"oops":1}]` {
		t.Fatalf("figures: %d, first %q", figs.Unparsable, figs.FirstUnparsable)
	}
	tr.resetBad()
	tr.OnPacket(nil, []byte(`2["users",`+strings.Repeat("1", 200)+`]`), now)
	figs = Result{}
	tr.badFigures(&figs)
	if figs.Unparsable != 1 || len(figs.FirstUnparsable) != firstBadMax {
		t.Fatalf("after reset: %d, first %q", figs.Unparsable, figs.FirstUnparsable)
	}
	res := &Result{Sent: 10, Expected: 10, Received: 10, Unparsable: 3}
	if err := verdict("fanout", res, true, false); err != nil {
		t.Fatalf("counted only: %v", err)
	}
	if err := verdict("fanout", res, true, true); err == nil || err.Error() != "load: fanout received 3 packets it could not parse" {
		t.Fatalf("FailOnUnparsable: %v", err)
	}
	res.Unparsable = 0
	if err := verdict("fanout", res, true, true); err != nil {
		t.Fatal(err)
	}
}
