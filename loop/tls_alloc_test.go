//go:build !race

package loop

import (
	"crypto/tls"
	"runtime"
	"testing"
)

// Once its ciphers are built, a TLS 1.3 connection on the loop's record
// layer seals a turn's writes and opens received records (in place, in
// gnet's buffer) without allocating.
func TestTLSRecordsSteadyStateZeroAlloc(t *testing.T) {
	p := newRecPair(t, tls.TLS_AES_128_GCM_SHA256)
	frame := []byte("42[\"broadcast\",{\"t\":1}]")
	// The client's records are sealed beforehand: only the server's side is
	// measured.
	recs := make([][]byte, 21)
	for i := range recs {
		recs[i] = p.clientRecord(recordTypeAppData, frame, 0)
	}
	in := make([]byte, 0, 256)
	i := 0
	turn := func() {
		in = append(in[:0], recs[i]...)
		i++
		p.l.enter()
		_ = p.c.Write(frame)
		_ = p.c.Write(frame)
		p.l.leave()
		p.sock.out = p.sock.out[:0]
		p.got = p.got[:0]
		p.l.enter()
		_ = p.t.traffic(in)
		p.l.leave()
	}
	turn() // builds the ciphers and the loop's buffers
	runtime.GC()
	if n := testing.AllocsPerRun(len(recs)-2, turn); n != 0 {
		t.Fatalf("%v allocations per turn", n)
	}
	if p.c.Closed() {
		t.Fatal("connection closed: the records did not open")
	}
}
