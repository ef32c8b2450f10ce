package report

import (
	"strings"
	"testing"

	"github.com/sio-fast/sio-fast/bench/internal/load"
)

func sample() []load.Result {
	return []load.Result{
		{Peer: "sio-fast", Scenario: "idle", Clients: 10, KiBPerConn: 2, PerSec: 1000},
		{Peer: "node", Scenario: "idle", Clients: 10, KiBPerConn: 8, PerSec: 250},
		{Peer: "sio-fast", Scenario: "fanout", Clients: 10, Mode: "rate", Offered: 5, PerSec: 900, P99: 100},
		{Peer: "node", Scenario: "fanout", Clients: 10, Mode: "rate", Offered: 5, PerSec: 300, P99: 400, Error: "lost 1"},
	}
}

func TestMarkdown(t *testing.T) {
	md := Markdown(sample(), "T")
	for _, want := range []string{"# T", "### idle (10 clients)", "| node | 8.00 |",
		"KiB/conn ×4.00", "conn/s ×4.00", "deliveries/s ×3.00", "p99 ×4.00", "lost 1"} {
		if !strings.Contains(md, want) {
			t.Errorf("missing %q in\n%s", want, md)
		}
	}
}

func TestHTMLSelfContained(t *testing.T) {
	h := HTML(sample(), "<T>")
	if !strings.Contains(h, "<svg") || !strings.Contains(h, "&lt;T&gt;") {
		t.Fatal("no chart or unescaped title")
	}
	if strings.Contains(h, "src=") || strings.Contains(h, "href=") {
		t.Fatal("external asset referenced")
	}
}
