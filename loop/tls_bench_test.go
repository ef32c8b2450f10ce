package loop

import (
	"bytes"
	"crypto/tls"
	"strconv"
	"testing"

	"github.com/panjf2000/gnet/v2"
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

// countConn is a socket that takes every byte, for benchmarks.
type countConn struct {
	gnet.Conn
	n int
}

func (c *countConn) Write(b []byte) (int, error) { c.n += len(b); return len(b), nil }
func (c *countConn) OutboundBuffered() int       { return 0 }
func (c *countConn) Fd() int                     { return -1 }
func (c *countConn) Close() error                { return nil }

// BenchmarkFanOutTurnPlainVsTLS is BenchmarkFanOutTurn (one turn writing a
// 107-byte broadcast frame to 1,000 connections) over plain connections
// and over TLS 1.3 ones, side by side: the sealing cost per recipient,
// without the system call.
func BenchmarkFanOutTurnPlainVsTLS(b *testing.B) {
	frame := []byte("42[\"broadcast\",{\"t\":1,\"p\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}]")
	for _, tlsOn := range []bool{false, true} {
		name := "plain"
		if tlsOn {
			name = "tls"
		}
		b.Run(name, func(b *testing.B) {
			l := newTestLoop()
			conns := make([]*Conn, 1000)
			for i := range conns {
				c := &Conn{loop: l}
				if tlsOn {
					secret := bytes.Repeat([]byte{byte(i)}, 32)
					c.t = &tlsTransport{Conn: &countConn{}, c: c, rec: newRecords13(tls.TLS_AES_128_GCM_SHA256, secret, secret)}
				} else {
					c.t = &nopTransport{}
				}
				conns[i] = c
			}
			benchFanOutTurn(b, l, conns, frame)
		})
	}
}

// BenchmarkRecords13 measures sealing and opening one record on the loop's
// TLS 1.3 layer (AES-128-GCM), ciphers built.
func BenchmarkRecords13(b *testing.B) {
	for _, size := range []int{107, 4096} {
		b.Run("seal+open/"+strconv.Itoa(size), func(b *testing.B) {
			p := newRecPair(b, tls.TLS_AES_128_GCM_SHA256)
			msg := make([]byte, size)
			in := make([]byte, 0, size+64)
			b.ReportAllocs()
			b.SetBytes(int64(size))
			for b.Loop() {
				p.l.enter()
				_ = p.c.Write(msg)
				p.l.leave()
				// The server's record, opened by the server's own layer
				// as if it came from a peer using the same keys.
				in = append(in[:0], p.sock.out...)
				p.sock.out = p.sock.out[:0]
				p.t.rec.in = p.t.rec.out
				p.t.rec.in.seq--
				p.l.enter()
				_ = p.t.traffic(in)
				p.l.leave()
				p.got = p.got[:0]
			}
		})
	}
}

// BenchmarkRecords13CipherBuild measures what a connection idle for
// tlsCipherIdle pays on its next record: building one direction's AEAD.
func BenchmarkRecords13CipherBuild(b *testing.B) {
	r := newRecords13(tls.TLS_AES_128_GCM_SHA256, bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{2}, 32))
	b.ReportAllocs()
	for b.Loop() {
		r.out.aead = nil
		_ = r.out.cipher()
	}
}
