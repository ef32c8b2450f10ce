package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sio-fast/sio-fast/bench/internal/load"
	"github.com/sio-fast/sio-fast/internal/testca"
)

func TestClientTLS(t *testing.T) {
	ca := testca.New(t)
	if cfg, err := clientTLS(false, "127.0.0.1:3000", "", false); cfg != nil || err != nil {
		t.Fatalf("off: %v %v", cfg, err)
	}
	cfg, err := clientTLS(true, "127.0.0.1:3000", ca.CertFile, false)
	if err != nil || cfg.ServerName != "127.0.0.1" || cfg.RootCAs == nil || cfg.InsecureSkipVerify {
		t.Fatalf("-tls-ca: %+v %v", cfg, err)
	}
	if !cfg.RootCAs.Equal(ca.Pool) {
		t.Error("-tls-ca: the pool does not hold the CA")
	}
	if cfg, err := clientTLS(true, "127.0.0.1:3000", "", true); err != nil || !cfg.InsecureSkipVerify || cfg.RootCAs != nil {
		t.Fatalf("-tls-insecure: %+v %v", cfg, err)
	}
	notPEM := filepath.Join(t.TempDir(), "x.pem")
	if err := os.WriteFile(notPEM, []byte("nope"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []struct {
		on       bool
		addr, ca string
		insecure bool
	}{
		{false, "127.0.0.1:3000", ca.CertFile, false},
		{false, "127.0.0.1:3000", "", true},
		{true, "127.0.0.1:3000", filepath.Join(t.TempDir(), "missing.pem"), false},
		{true, "127.0.0.1:3000", notPEM, false},
		{true, "nohostport", "", true},
	} {
		if _, err := clientTLS(bad.on, bad.addr, bad.ca, bad.insecure); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
}

// TestUnaskedNote: packets that none of the bench's messages explain are
// named on stderr, once (not when the scenario's error already says so).
func TestUnaskedNote(t *testing.T) {
	r := load.Result{Unparsable: 12, FirstUnparsable: `2["users",7]`}
	if got := unaskedNote(r); !strings.Contains(got, `12 packets`) || !strings.Contains(got, `(first: 2["users",7])`) {
		t.Errorf("note %q", got)
	}
	r.Error = "load: fanout received 12 packets it could not parse"
	if got := unaskedNote(r); got != "" {
		t.Errorf("with the error: %q", got)
	}
	if got := unaskedNote(load.Result{}); got != "" {
		t.Errorf("clean run: %q", got)
	}
}
