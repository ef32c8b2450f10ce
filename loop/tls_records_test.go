package loop

import (
	"bytes"
	"crypto/tls"
	"encoding/binary"
	"errors"
	"io"
	"testing"

	"github.com/panjf2000/gnet/v2"
)

// capConn is the socket under a tlsTransport in record-layer tests: it
// keeps what is written. Methods other than these are not called.
type capConn struct {
	gnet.Conn
	out []byte
}

func (c *capConn) Write(b []byte) (int, error) { c.out = append(c.out, b...); return len(b), nil }
func (c *capConn) OutboundBuffered() int       { return 0 }
func (c *capConn) Fd() int                     { return -1 }
func (c *capConn) Close() error                { return nil }

// recPair is a server connection on the loop's TLS 1.3 record layer and
// the client's keys (the server's, swapped), driven by the test on a loop
// of its own.
type recPair struct {
	l      *Loop
	c      *Conn
	t      *tlsTransport
	sock   *capConn
	client *records13
	got    []byte // plaintext the handler received
	gnetIn []byte // bytes "gnet" holds: what traffic did not consume
}

func newRecPair(t testing.TB, suite uint16) *recPair {
	t.Helper()
	n := 32
	if suite == tls.TLS_AES_256_GCM_SHA384 {
		n = 48
	}
	cs, ss := bytes.Repeat([]byte{1}, n), bytes.Repeat([]byte{2}, n)
	p := &recPair{sock: &capConn{}}
	h := &funcHandler{data: func(c *Conn, in []byte) int { p.got = append(p.got, in...); return len(in) }}
	p.l = newLoop(&Server{opts: newOptions(nil), handler: h}, nil, 0)
	p.c = &Conn{loop: p.l}
	p.t = &tlsTransport{Conn: p.sock, c: p.c, rec: newRecords13(suite, cs, ss)}
	p.c.t = p.t
	p.client = newRecords13(suite, cs, ss)
	p.client.in, p.client.out = p.client.out, p.client.in
	if p.t.rec == nil {
		t.Fatal("no record layer for the suite")
	}
	return p
}

// send feeds b to the server as gnet would: appended to what it holds,
// the consumed prefix discarded.
func (p *recPair) send(b []byte) {
	p.l.enter()
	p.gnetIn = append(p.gnetIn, b...)
	n := p.t.traffic(p.gnetIn)
	p.gnetIn = p.gnetIn[n:]
	p.l.leave()
}

// clientRecord seals msg as one record of type typ with the client's keys,
// padded with pad zeros.
func (p *recPair) clientRecord(typ byte, msg []byte, pad int) []byte {
	inner := append(append(append([]byte{}, msg...), typ), make([]byte, pad)...)
	a := p.client.out.cipher()
	rec := []byte{recordTypeAppData, 3, 3, 0, 0}
	binary.BigEndian.PutUint16(rec[3:], uint16(len(inner)+a.Overhead()))
	nonce := p.client.out.nonce()
	p.client.out.seq++
	return a.Seal(rec, nonce, inner, rec[:5])
}

// serverRecords opens everything the server wrote with the client's keys
// and returns each record's type and content.
func (p *recPair) serverRecords(t testing.TB) (types []byte, msgs [][]byte) {
	t.Helper()
	b := p.sock.out
	p.sock.out = nil
	for len(b) > 0 {
		n := recordHeaderLen + int(binary.BigEndian.Uint16(b[3:5]))
		if b[0] != recordTypeAppData || n > len(b) {
			t.Fatalf("bad record from server: % x", b[:min(len(b), 8)])
		}
		nonce := p.client.in.nonce()
		inner, err := p.client.in.cipher().Open(nil, nonce, b[5:n], b[:5])
		if err != nil {
			t.Fatalf("server record %d does not open: %v", p.client.in.seq, err)
		}
		p.client.in.seq++
		end := len(inner) - 1
		for inner[end] == 0 {
			end--
		}
		types = append(types, inner[end])
		msgs = append(msgs, inner[:end])
		b = b[n:]
	}
	return types, msgs
}

func TestRecords13RoundTripSplitFeeds(t *testing.T) {
	for _, suite := range []uint16{tls.TLS_AES_128_GCM_SHA256, tls.TLS_AES_256_GCM_SHA384} {
		p := newRecPair(t, suite)
		var stream, want []byte
		for i, msg := range []string{"hello ", "", "padded ", "world"} {
			stream = append(stream, p.clientRecord(recordTypeAppData, []byte(msg), 3*i)...)
			want = append(want, msg...)
		}
		big := bytes.Repeat([]byte("0123456789abcdef"), 1500) // 24,000 bytes: two records
		for len(big) > 0 {
			n := min(len(big), maxPlaintext)
			stream = append(stream, p.clientRecord(recordTypeAppData, big[:n], 0)...)
			want = append(want, big[:n]...)
			big = big[n:]
		}
		for _, step := range []int{1, 4, 5, 6, 17, 1000, len(stream)} {
			q := newRecPair(t, suite)
			q.client = p.client // same keys, sequence restarted below
			q.client.out.seq = 0
			for off := 0; off < len(stream); off += step {
				q.send(stream[off:min(off+step, len(stream))])
			}
			if !bytes.Equal(q.got, want) {
				t.Fatalf("suite %x step %d: got %d bytes, want %d", suite, step, len(q.got), len(want))
			}
			if q.c.Closed() || len(q.gnetIn) != 0 {
				t.Fatalf("step %d: closed %v, %d bytes left", step, q.c.Closed(), len(q.gnetIn))
			}
		}
	}
}

// The server's writes of a turn leave as records the client opens, in
// order, a large one cut at maxPlaintext.
func TestRecords13SealedWrites(t *testing.T) {
	p := newRecPair(t, tls.TLS_AES_128_GCM_SHA256)
	big := bytes.Repeat([]byte{'x'}, 40000)
	p.l.enter()
	_ = p.c.Write([]byte("one "))
	_ = p.c.Write([]byte("two "))
	_ = p.c.Write(big)
	p.l.leave()
	types, msgs := p.serverRecords(t)
	if len(types) != 3 || !bytes.Equal(bytes.Join(msgs, nil), append([]byte("one two "), big...)) {
		t.Fatalf("%d records, %d bytes", len(types), len(bytes.Join(msgs, nil)))
	}
	for i, m := range msgs {
		if types[i] != recordTypeAppData || len(m) > maxPlaintext {
			t.Fatalf("record %d: type %d, %d bytes", i, types[i], len(m))
		}
	}
}

// A KeyUpdate asking for the server's is answered under the old key; both
// directions then use the next secrets.
func TestRecords13KeyUpdate(t *testing.T) {
	p := newRecPair(t, tls.TLS_AES_256_GCM_SHA384)
	p.send(p.clientRecord(recordTypeHandsh, []byte{handshakeKeyUpd, 0, 0, 1, 1}, 0))
	p.client.out.update()
	p.send(p.clientRecord(recordTypeAppData, []byte("after update"), 0))
	if string(p.got) != "after update" {
		t.Fatalf("got %q", p.got)
	}
	types, msgs := p.serverRecords(t)
	if len(types) != 1 || types[0] != recordTypeHandsh || !bytes.Equal(msgs[0], []byte{handshakeKeyUpd, 0, 0, 1, 0}) {
		t.Fatalf("server answered %v %x", types, msgs)
	}
	p.client.in.update()
	p.l.enter()
	_ = p.c.Write([]byte("new key"))
	p.l.leave()
	if _, msgs := p.serverRecords(t); len(msgs) != 1 || string(msgs[0]) != "new key" {
		t.Fatalf("after the update: %q", msgs)
	}
	// Without update_requested the server's key stays.
	p.send(p.clientRecord(recordTypeHandsh, []byte{handshakeKeyUpd, 0, 0, 1, 0}, 0))
	p.client.out.update()
	p.send(p.clientRecord(recordTypeAppData, []byte("!"), 0))
	if string(p.got) != "after update!" || len(p.sock.out) != 0 || p.c.Closed() {
		t.Fatalf("got %q, server wrote %d bytes, closed %v", p.got, len(p.sock.out), p.c.Closed())
	}
}

// Bad records close the connection with the right alert sent first;
// close_notify closes it as io.EOF; data before either is delivered.
func TestRecords13BadRecordsAndAlerts(t *testing.T) {
	cases := map[string]struct {
		record func(p *recPair) []byte
		err    error
	}{
		"close_notify": {func(p *recPair) []byte {
			return p.clientRecord(recordTypeAlert, []byte{alertLevelWarning, alertCloseNotify}, 0)
		}, io.EOF},
		"fatal alert from peer": {func(p *recPair) []byte {
			return p.clientRecord(recordTypeAlert, []byte{alertLevelFatal, 40}, 0)
		}, tlsAlertError{desc: 40, remote: true}},
		"bad MAC": {func(p *recPair) []byte {
			r := p.clientRecord(recordTypeAppData, []byte("x"), 0)
			r[len(r)-1] ^= 1
			return r
		}, tlsAlertError{desc: alertBadRecordMAC}},
		"plaintext record": {func(p *recPair) []byte {
			return []byte{recordTypeHandsh, 3, 3, 0, 1, 0}
		}, tlsAlertError{desc: alertUnexpectedMessage}},
		"oversized": {func(p *recPair) []byte {
			return []byte{recordTypeAppData, 3, 3, 0xff, 0xff}
		}, tlsAlertError{desc: alertRecordOverflow}},
		"all padding": {func(p *recPair) []byte {
			return p.clientRecord(0, nil, 4)
		}, tlsAlertError{desc: alertUnexpectedMessage}},
		"client NewSessionTicket": {func(p *recPair) []byte {
			return p.clientRecord(recordTypeHandsh, []byte{4, 0, 0, 0}, 0)
		}, tlsAlertError{desc: alertUnexpectedMessage}},
		"short alert": {func(p *recPair) []byte {
			return p.clientRecord(recordTypeAlert, []byte{2}, 0)
		}, tlsAlertError{desc: alertDecodeError}},
	}
	for name, tc := range cases {
		p := newRecPair(t, tls.TLS_AES_128_GCM_SHA256)
		stream := append(p.clientRecord(recordTypeAppData, []byte("before"), 0), tc.record(p)...)
		p.send(stream)
		if string(p.got) != "before" {
			t.Fatalf("%s: delivered %q", name, p.got)
		}
		if !p.c.has(connClosing) || !errors.Is(p.c.closeErr(), tc.err) {
			t.Fatalf("%s: closing %v with %v, want %v", name, p.c.has(connClosing), p.c.closeErr(), tc.err)
		}
		types, msgs := p.serverRecords(t)
		local := tlsAlertError{}
		if errors.As(tc.err, &local) && !local.remote {
			if len(types) < 1 || types[0] != recordTypeAlert || !bytes.Equal(msgs[0], []byte{alertLevelFatal, local.desc}) {
				t.Fatalf("%s: server sent %v %x, want alert %d", name, types, msgs, local.desc)
			}
		}
	}
}

// An idle connection drops its AEADs and builds them again for the next
// record.
func TestRecords13CipherDroppedWhenIdle(t *testing.T) {
	p := newRecPair(t, tls.TLS_AES_128_GCM_SHA256)
	p.send(p.clientRecord(recordTypeAppData, []byte("a"), 0))
	r := p.t.rec
	if r.in.aead == nil || !r.idle.Armed() {
		t.Fatal("no cipher after a record")
	}
	r.idle.run() // used since arming: kept, re-armed
	if r.in.aead == nil || !r.idle.Armed() {
		t.Fatal("cipher dropped although used")
	}
	r.idle.Stop()
	r.idle.run() // unused for a period: dropped
	if r.in.aead != nil || r.out.aead != nil {
		t.Fatal("cipher kept while idle")
	}
	p.send(p.clientRecord(recordTypeAppData, []byte("b"), 0))
	if string(p.got) != "ab" {
		t.Fatalf("got %q", p.got)
	}
}

// The search for the server's sequence after the handshake finds how many
// records were sealed with the application key.
func TestRecords13TicketSequence(t *testing.T) {
	p := newRecPair(t, tls.TLS_AES_128_GCM_SHA256)
	var last []byte
	for range 3 {
		p.l.enter()
		_ = p.c.Write([]byte("ticket"))
		p.l.leave()
		last = p.sock.out
		p.sock.out = nil
	}
	for s := uint64(0); s < 4; s++ {
		if got := p.t.rec.out.opens(last, s); got != (s == 2) {
			t.Fatalf("opens at %d: %v", s, got)
		}
	}
}

// FuzzRecords13Open feeds arbitrary bytes, after a valid record, in
// arbitrary pieces: never a panic, the valid record's data delivered
// unless the input closed the connection before it was complete.
func FuzzRecords13Open(f *testing.F) {
	p := newRecPair(f, tls.TLS_AES_128_GCM_SHA256)
	f.Add([]byte{recordTypeAppData, 3, 3, 0, 17}, uint8(3))
	f.Add(p.clientRecord(recordTypeAppData, []byte("x"), 2), uint8(1))
	f.Add(p.clientRecord(recordTypeHandsh, []byte{handshakeKeyUpd, 0, 0, 1, 1}, 0), uint8(7))
	f.Fuzz(func(t *testing.T, data []byte, step uint8) {
		q := newRecPair(t, tls.TLS_AES_128_GCM_SHA256)
		stream := append(q.clientRecord(recordTypeAppData, []byte("ok"), 0), data...)
		n := int(step) + 1
		for off := 0; off < len(stream) && !q.c.Closed(); off += n {
			q.send(stream[off:min(off+n, len(stream))])
		}
		if !bytes.HasPrefix(q.got, []byte("ok")) {
			t.Fatalf("valid record not delivered: %q", q.got)
		}
	})
}
