package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"testing"
	"time"

	"github.com/sio-fast/sio-fast/loop"
	"github.com/sio-fast/sio-fast/standalone"
)

// -burst-collect reaches the loop: after a burst of 1,100 connections the
// server collects once by default and never with -burst-collect=false.
func TestBurstCollectFlag(t *testing.T) {
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, tc := range []struct {
		args []string
		want uint64
	}{
		{[]string{"-mode", "ws-echo"}, 1},
		{[]string{"-mode", "ws-echo", "-burst-collect=false"}, 0},
	} {
		cfg, _, err := standalone.Load(tc.args, nil)
		if err != nil {
			t.Fatal(err)
		}
		h := newHandler(t, cfg, quiet)
		srv, err := loop.Serve("127.0.0.1:0", h, loopOptions(cfg, quiet)...)
		if err != nil {
			t.Fatal(err)
		}
		var conns []net.Conn
		for range 1100 { // more than a burst (1,024)
			nc, err := net.Dial("tcp", srv.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			conns = append(conns, nc)
		}
		// The burst ends within a 500 ms window of the ticker; the
		// collection follows at once.
		deadline := time.Now().Add(3 * time.Second)
		for n, _ := srv.BurstCollections(); n < tc.want && time.Now().Before(deadline); n, _ = srv.BurstCollections() {
			time.Sleep(10 * time.Millisecond)
		}
		time.Sleep(1500 * time.Millisecond) // and no other one
		if n, spent := srv.BurstCollections(); n != tc.want || (n > 0) != (spent > 0) {
			t.Errorf("%v: %d collections in %v, want %d", tc.args, n, spent, tc.want)
		}
		for _, nc := range conns {
			_ = nc.Close()
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_ = srv.Shutdown(ctx)
		cancel()
	}
}
