package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"path/filepath"
	"testing"
	"time"

	"github.com/sio-fast/sio-fast/internal/testca"
	"github.com/sio-fast/sio-fast/loop"
	"github.com/sio-fast/sio-fast/standalone"
)

func TestTLSOptionFlags(t *testing.T) {
	ca := testca.New(t)
	dir := t.TempDir()
	cert, key, err := ca.WriteServerFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	if opt, err := tlsOption("", ""); opt != nil || err != nil {
		t.Fatalf("no flags: %v %v", opt, err)
	}
	for _, bad := range [][2]string{{cert, ""}, {"", key}, {cert, filepath.Join(dir, "missing.pem")}, {key, cert}} {
		if _, err := tlsOption(bad[0], bad[1]); err == nil {
			t.Fatalf("tlsOption(%q, %q) accepted", bad[0], bad[1])
		}
	}
	opt, err := tlsOption(cert, key)
	if err != nil {
		t.Fatal(err)
	}
	// The option serves TLS: the ws-echo mode answers an upgrade over it.
	cfg, _, err := standalone.Load([]string{"-mode", "ws-echo", "-tls-cert", cert, "-tls-key", key}, nil)
	if err != nil {
		t.Fatal(err)
	}
	h := newHandler(t, cfg, nil)
	srv, err := loop.Serve("127.0.0.1:0", h, opt, loop.WithNumLoops(1))
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}()
	tc, err := tls.Dial("tcp", srv.Addr().String(), ca.ClientConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer tc.Close()
	_ = tc.SetDeadline(time.Now().Add(5 * time.Second))
	_, _ = tc.Write([]byte("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"))
	line, err := bufio.NewReader(tc).ReadString('\n')
	if err != nil || line != "HTTP/1.1 101 Switching Protocols\r\n" {
		t.Fatalf("got %q %v", line, err)
	}
}
