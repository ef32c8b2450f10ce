// Package looptest starts loop servers for tests: on a free loopback port,
// two loops, a silent logger, shut down when the test ends. Test code only.
package looptest

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/sio-fast/sio-fast/internal/testca"
	"github.com/sio-fast/sio-fast/loop"
)

// Serve runs h on 127.0.0.1 at a free port until t ends. opts come after
// the defaults (two loops, no logging), so they may override them. Call it
// from the test's goroutine.
func Serve(t testing.TB, h loop.Handler, opts ...loop.Option) *loop.Server {
	t.Helper()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	opts = append([]loop.Option{loop.WithNumLoops(2), loop.WithLogger(quiet)}, opts...)
	s, err := loop.Serve("127.0.0.1:0", h, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = s.Shutdown(ctx)
	})
	return s
}

// URL returns the server's base URL, "http://127.0.0.1:port". Any goroutine.
func URL(s *loop.Server) string { return "http://" + s.Addr().String() }

// TLS returns the option that makes a server speak TLS with a certificate
// for 127.0.0.1 signed by a fresh test CA, and the CA's PEM file (in a
// temporary directory of t) for clients: NODE_EXTRA_CA_CERTS for Node.
func TLS(t testing.TB) (opt loop.Option, caFile string) {
	t.Helper()
	ca := testca.New(t)
	return loop.WithTLS(ca.ServerConfig()), ca.CertFile
}

// HTTPSURL returns the base URL of a TLS server, "https://127.0.0.1:port".
// Any goroutine.
func HTTPSURL(s *loop.Server) string { return "https://" + s.Addr().String() }
