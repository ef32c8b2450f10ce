package loop

import (
	"io"
	"testing"
)

// BenchmarkLoopEcho measures a round trip through the reactor: a client
// writes 64 bytes and reads them back from the echo handler.
func BenchmarkLoopEcho(b *testing.B) {
	s := startServer(b, &funcHandler{data: echoData}, WithNumLoops(1))
	nc := dial(b, s)
	msg := make([]byte, 64)
	buf := make([]byte, 64)
	b.ReportAllocs()
	b.SetBytes(64)
	for b.Loop() {
		if _, err := nc.Write(msg); err != nil {
			b.Fatal(err)
		}
		if _, err := io.ReadFull(nc, buf); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFanOutTurn measures one loop turn that writes a shared frame to
// 1,000 connections and flushes them (the transport is a no-op, so this is
// the reactor's own cost per recipient, without the system call).
func BenchmarkFanOutTurn(b *testing.B) {
	l := newTestLoop()
	conns := make([]*Conn, 1000)
	for i := range conns {
		conns[i] = &Conn{t: &nopTransport{}, loop: l}
	}
	frame := []byte("42[\"broadcast\",{\"t\":1,\"p\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}]")
	b.ReportAllocs()
	for b.Loop() {
		l.enter()
		for _, c := range conns {
			_ = c.Write(frame)
		}
		l.leave()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1000, "ns/recipient")
}
