package loop

import (
	"io"
	"net"
	"strconv"
	"testing"
)

// BenchmarkEchoPlainVsTLS measures the round trip of BenchmarkLoopEcho
// over plain TCP and over TLS on the same machine, side by side: the cost
// of sealing and opening a record on the loop (and on the client).
func BenchmarkEchoPlainVsTLS(b *testing.B) {
	for _, size := range []int{64, 4096} {
		b.Run("plain/"+strconv.Itoa(size), func(b *testing.B) {
			s := startServer(b, &funcHandler{data: echoData}, WithNumLoops(1))
			benchEcho(b, dial(b, s), size)
		})
		b.Run("tls/"+strconv.Itoa(size), func(b *testing.B) {
			s, cc := tlsServer(b, &funcHandler{data: echoData}, WithNumLoops(1))
			benchEcho(b, dialTLS(b, s, cc), size)
		})
	}
}

func benchEcho(b *testing.B, nc net.Conn, size int) {
	msg := make([]byte, size)
	buf := make([]byte, size)
	b.ReportAllocs()
	b.SetBytes(int64(size))
	for b.Loop() {
		if _, err := nc.Write(msg); err != nil {
			b.Fatal(err)
		}
		if _, err := io.ReadFull(nc, buf); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTLSHandshake measures full TLS 1.3 handshakes (ECDHE P-256 or
// X25519, ECDSA P-256 certificate) against the reactor, one at a time: the
// client's and the server's work together, each connection closed after.
func BenchmarkTLSHandshake(b *testing.B) {
	s, cc := tlsServer(b, &funcHandler{}, WithNumLoops(1))
	cc.ClientSessionCache = nil
	b.ReportAllocs()
	for b.Loop() {
		tc := dialTLS(b, s, cc)
		_ = tc.Close()
	}
}
