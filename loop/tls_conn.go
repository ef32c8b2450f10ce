package loop

import (
	"crypto/tls"
	"encoding/binary"
	"errors"
	"io"
	"log/slog"
	"net"
	"slices"
	"sync"
	"syscall"
	"time"

	"github.com/panjf2000/gnet/v2"
)

// tlsTransport is the transport of a TLS connection: Conn.Write's plaintext
// is sealed, and the records go to the gnet connection embedded here
// (which also provides Fd, OutboundBuffered and Close).
//
// After the handshake, records are sealed and opened by rec (TLS 1.3 with
// AES-GCM, tls_records.go) or, for any other outcome, by crypto/tls itself
// through tc, whose net.Conn is this value seen as a tlsWire.
type tlsTransport struct {
	gnet.Conn
	c *Conn
	// hs is the handshake's state until it finishes; then nil, on the loop,
	// after the handshake goroutine has let go of it.
	hs  *tlsHandshake
	rec *records13 // the loop's TLS 1.3 record layer; nil on crypto/tls's
	tc  *tls.Conn  // crypto/tls's record layer, when rec is nil

	// Loop goroutine only, once established.
	rin   []byte // rec: a partial record received with the Finished; nil if none
	src   []byte // tc: ciphertext lent to one receive, for tc.Read to take
	out   []byte // tc: sealed records of one seal, lent by the loop
	batch bool   // tc: out collects records (else they go straight to the socket)
}

// tlsHandshake connects the loop to the handshake goroutine.
type tlsHandshake struct {
	mu     sync.Mutex
	buf    []byte // received from the peer, not yet read by the handshake
	closed bool   // the connection is gone: reads end with EOF
	wake   chan struct{}
	timer  Timer // the handshake deadline; loop goroutine only

	// Handshake goroutine only (the key log writes run on it too).
	left     int       // bytes of the current record not yet read
	secrets  [2][]byte // client and server application traffic secrets (tlsKeyLog)
	last     []byte    // the last protected record the server wrote
	badWrite bool      // a write that was not whole records: no fast path
}

// startTLS makes c a TLS connection over gc and starts its handshake. It
// runs in gnet's OnOpen, on the loop; the handler sees c once the handshake
// has finished (tlsTransport.established).
func startTLS(c *Conn, gc gnet.Conn) {
	opts := &c.loop.srv.opts.tls
	t := &tlsTransport{Conn: gc, c: c, hs: &tlsHandshake{wake: make(chan struct{}, 1)}}
	t.tc = tls.Server((*tlsWire)(t), opts.cfg)
	c.t = t
	t.hs.timer.InitWith(func(*Timer) { c.CloseWithError(ErrTLSHandshakeTimeout) })
	c.loop.Arm(&t.hs.timer, opts.timeout)
	go t.handshake()
}

// handshake runs tls.Conn.Handshake on its own goroutine, prepares the
// record layer and reports the outcome to the loop.
func (t *tlsTransport) handshake() {
	hs := t.hs
	var err error
	func() {
		defer func() {
			// A panicking GetCertificate or VerifyConnection callback.
			if r := recover(); r != nil {
				err = errors.New("loop: tls: handshake panicked")
				t.c.loop.srv.opts.logger.Error("loop: tls: recovered panic in handshake", slog.Any("panic", r))
			}
		}()
		err = t.tc.Handshake()
	}()
	if err != nil {
		t.c.loop.Execute(func() { t.handshakeFailed(err) })
		return
	}
	rec := hs.records(t.tc.ConnectionState())
	t.c.loop.Execute(func() { t.established(rec) })
}

// records returns the loop's record layer for the finished handshake, or
// nil to keep crypto/tls's. Handshake goroutine only.
func (hs *tlsHandshake) records(st tls.ConnectionState) *records13 {
	if st.Version != tls.VersionTLS13 || hs.badWrite {
		return nil
	}
	r := newRecords13(st.CipherSuite, hs.secrets[0], hs.secrets[1])
	if r == nil {
		return nil
	}
	// crypto/tls may have sealed session tickets with the server's
	// application key during the handshake; they are the last protected
	// records it wrote. The one that opens at sequence s says s+1 were.
	if hs.last != nil {
		for s := uint64(0); s < maxTicketsTried; s++ {
			if r.out.opens(hs.last, s) {
				r.out.seq = s + 1
				break
			}
		}
		r.out.aead = nil
	}
	return r
}

// established runs on the loop once the handshake succeeded: the handler
// gets OnOpen, then whatever the peer sent after its Finished.
func (t *tlsTransport) established(rec *records13) {
	c, hs := t.c, t.hs
	if c.has(connClosed | connClosing) {
		return // closed meanwhile (timeout, shutdown): OnClose already ran
	}
	hs.timer.Stop()
	hs.mu.Lock()
	rest := hs.buf
	hs.buf = nil
	hs.mu.Unlock()
	t.hs = nil
	if rec != nil {
		t.rec, t.tc = rec, nil // crypto/tls's state is garbage now
	}
	c.flags &^= connHandshaking
	l := c.loop
	l.safely(c, func() { l.srv.handler.OnOpen(c) })
	if c.Closed() {
		return
	}
	if t.rec != nil {
		t.rin = rest
		t.receive13(nil)
	} else {
		// Even with nothing left over, tc may hold application data read
		// together with the Finished.
		t.receive(rest)
	}
}

// handshakeFailed runs on the loop when the handshake failed: the alert
// crypto/tls wrote is already queued, so close after it. A plain HTTP
// request gets the same answer as from net/http.
func (t *tlsTransport) handshakeFailed(err error) {
	c := t.c
	if c.has(connClosed | connClosing) {
		return
	}
	var rh tls.RecordHeaderError
	if errors.As(err, &rh) && rh.Conn != nil && looksLikeHTTP(rh.RecordHeader) {
		_, _ = t.Conn.Write(httpOnTLSPort)
	}
	c.loop.srv.opts.logger.Debug("loop: tls: handshake failed", slog.Any("err", err), slog.String("remote", c.RemoteAddr().String()))
	c.CloseAfterFlush(err)
}

// httpOnTLSPort is net/http's answer to plain HTTP on a TLS port.
var httpOnTLSPort = []byte("HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n")

// looksLikeHTTP reports whether a first record header is the start of an
// HTTP request (net/http's test).
func looksLikeHTTP(hdr [5]byte) bool {
	switch string(hdr[:]) {
	case "GET /", "HEAD ", "POST ", "PUT /", "OPTIO":
		return true
	}
	return false
}

// traffic takes the bytes gnet received and returns how many gnet may
// discard: during the handshake they go to the handshake goroutine,
// afterwards they are opened here (a partial record stays in gnet's
// buffer). Loop goroutine only.
func (t *tlsTransport) traffic(in []byte) int {
	switch {
	case t.hs != nil:
		if !t.hs.feed(in) {
			t.c.CloseWithError(errTLSHandshakeFlood)
		}
		return len(in)
	case t.rec != nil:
		return t.receive13(in)
	}
	t.receive(in)
	return len(in)
}

// receive13 opens the whole records of in (in place: gnet's buffer is
// writable) and offers their plaintext to OnData. Bytes left from the
// handshake (rin) go first, joined with in in a buffer the loop lends.
// Loop goroutine only.
func (t *tlsTransport) receive13(in []byte) (discard int) {
	l := t.c.loop
	buf, lent := in, []byte(nil)
	if t.rin != nil {
		lent = append(append(lend(&l.tls.in), t.rin...), in...)
		buf, t.rin = lent, nil
	}
	t.rec.touch(l)
	plain, used, err := t.rec.open(t, buf)
	discard = used
	if lent != nil {
		if used < len(buf) && err == nil {
			t.rin = slices.Clone(buf[used:])
		}
		discard = len(in)
	}
	t.deliver(buf[:plain])
	if lent != nil {
		giveBack(&l.tls.in, lent)
	}
	if err != nil {
		t.closeFor(err)
	}
	return discard
}

// receive (crypto/tls's record layer) lets tc open the records in src, lent
// for this call, and offers the plaintext to OnData. Loop goroutine only.
func (t *tlsTransport) receive(src []byte) {
	l := t.c.loop
	t.src = src
	buf := lend(&l.tls.in)
	var err error
	for err == nil {
		buf = slices.Grow(buf, tlsReadChunk)
		var n int
		n, err = t.tc.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
	}
	t.src = nil
	t.deliver(buf)
	giveBack(&l.tls.in, buf)
	if _, ok := err.(errWouldBlock); !ok {
		t.closeFor(err)
	}
}

// deliver offers new plaintext to OnData through Loop.feed, which puts it
// after what the handler left unconsumed and keeps what it leaves now (a
// connection that consumed everything holds no buffer). Loop goroutine
// only.
func (t *tlsTransport) deliver(plain []byte) {
	if len(plain) > 0 {
		t.c.loop.feed(t.c, plain)
	}
}

// closeFor closes the connection after the peer's close_notify (io.EOF,
// reported as the plain EOF) or a TLS error, once queued bytes have left.
func (t *tlsTransport) closeFor(err error) {
	if err == io.EOF {
		err = errEOF
	}
	t.c.CloseAfterFlush(err)
}

// fail sends a fatal alert for a bad record and returns the error to close
// with. Loop goroutine only.
func (t *tlsTransport) fail(desc byte) error {
	t.sealNow(recordTypeAlert, []byte{alertLevelFatal, desc})
	return tlsAlertError{desc: desc}
}

// sealNow seals one message of type typ and writes it at once, ahead of
// the writes queued in this turn (alerts, KeyUpdate). rec only.
func (t *tlsTransport) sealNow(typ byte, msg []byte) {
	l := t.c.loop
	bs := [1][]byte{msg}
	out := t.rec.seal(lend(&l.tls.out), typ, bs[:])
	_, _ = t.Conn.Write(out)
	giveBack(&l.tls.out, out)
	t.c.noteTransportWrite()
}

// Write seals b (Conn.flush of a single buffer). Loop goroutine only.
func (t *tlsTransport) Write(b []byte) (int, error) {
	bs := [1][]byte{b}
	return t.Writev(bs[:])
}

// Writev seals bs as one run of records (Conn.flush) and hands them to the
// socket in one write; gnet keeps a copy of what the kernel refuses, so the
// loop's buffer is free again at once. Loop goroutine only.
func (t *tlsTransport) Writev(bs [][]byte) (int, error) {
	if t.hs != nil {
		return 0, ErrClosed // the handler cannot hold c before the handshake ends
	}
	l := t.c.loop
	if t.rec != nil {
		t.rec.touch(l)
		out := t.rec.seal(lend(&l.tls.out), recordTypeAppData, bs)
		_, err := t.Conn.Write(out)
		giveBack(&l.tls.out, out)
		if err != nil {
			return 0, err
		}
		n := 0
		for _, b := range bs {
			n += len(b)
		}
		return n, nil
	}
	plain := bs[0]
	if len(bs) > 1 {
		plain = l.concat(bs)
		defer giveBack(&l.tls.plain, plain)
	}
	return t.sealTC(plain)
}

// sealTC seals plain through crypto/tls, collecting its records in a
// buffer the loop lends.
func (t *tlsTransport) sealTC(plain []byte) (int, error) {
	l := t.c.loop
	t.out, t.batch = lend(&l.tls.out), true
	_, err := t.tc.Write(plain)
	out := t.out
	t.out, t.batch = nil, false
	if err == nil && len(out) > 0 {
		_, err = t.Conn.Write(out)
	} else if err != nil {
		_ = t.Conn.Close() // crypto/tls failed: the stream cannot go on
	}
	giveBack(&l.tls.out, out)
	if err != nil {
		return 0, err
	}
	return len(plain), nil
}

// shutdownWrite sends close_notify, then FIN (CloseAfterFlush).
func (t *tlsTransport) shutdownWrite() {
	switch {
	case t.hs != nil:
	case t.rec != nil:
		t.sealNow(recordTypeAlert, []byte{alertLevelWarning, alertCloseNotify})
	default:
		_ = t.tc.CloseWrite()
	}
	_ = syscall.Shutdown(t.Fd(), syscall.SHUT_WR)
}

// closed runs in gnet's OnClose of a connection still handshaking: it
// stops the deadline and ends the handshake goroutine's wait.
func (t *tlsTransport) closed() {
	hs := t.hs
	hs.timer.Stop()
	hs.mu.Lock()
	hs.closed = true
	hs.buf = nil
	hs.mu.Unlock()
	hs.signal()
}

// feed hands bytes from the peer to the handshake goroutine; false when the
// peer sent more than a handshake can need. Loop goroutine only.
func (hs *tlsHandshake) feed(in []byte) bool {
	hs.mu.Lock()
	ok := len(hs.buf)+len(in) <= maxHandshakeBuffered
	if ok {
		hs.buf = append(hs.buf, in...)
	}
	hs.mu.Unlock()
	hs.signal()
	return ok
}

func (hs *tlsHandshake) signal() {
	select {
	case hs.wake <- struct{}{}:
	default:
	}
}

// read waits for bytes from the peer and returns at most the rest of the
// current record: crypto/tls then never reads past the client's Finished,
// and what follows it is left in buf for the loop's record layer.
// Handshake goroutine only.
func (hs *tlsHandshake) read(p []byte) (int, error) {
	for {
		hs.mu.Lock()
		if hs.left == 0 && len(hs.buf) >= recordHeaderLen {
			hs.left = recordHeaderLen + int(binary.BigEndian.Uint16(hs.buf[3:5]))
		}
		if hs.left > 0 && len(hs.buf) > 0 {
			n := copy(p[:min(len(p), hs.left)], hs.buf)
			hs.buf = hs.buf[n:]
			if len(hs.buf) == 0 {
				hs.buf = nil
			}
			hs.left -= n
			hs.mu.Unlock()
			return n, nil
		}
		closed := hs.closed
		hs.mu.Unlock()
		if closed {
			return 0, io.EOF
		}
		<-hs.wake
	}
}

// noteWritten keeps the last protected record among whole records b the
// handshake wrote (see tlsHandshake.records). Handshake goroutine only.
func (hs *tlsHandshake) noteWritten(b []byte) {
	for len(b) > 0 {
		if len(b) < recordHeaderLen {
			hs.badWrite = true
			return
		}
		n := recordHeaderLen + int(binary.BigEndian.Uint16(b[3:5]))
		if n > len(b) {
			hs.badWrite = true
			return
		}
		if b[0] == recordTypeAppData {
			hs.last = append(hs.last[:0], b[:n]...)
		}
		b = b[n:]
	}
}

func (hs *tlsHandshake) isClosed() bool {
	hs.mu.Lock()
	defer hs.mu.Unlock()
	return hs.closed
}

// tlsWire is the net.Conn crypto/tls reads and writes records through.
type tlsWire tlsTransport

// errWouldBlock tells crypto/tls that no more bytes are lent now. It is a
// temporary net.Error, which tls.Conn returns without recording it, ready to
// go on when the next bytes arrive.
type errWouldBlock struct{}

func (errWouldBlock) Error() string   { return "loop: tls: no more input" }
func (errWouldBlock) Timeout() bool   { return false }
func (errWouldBlock) Temporary() bool { return true }

// Read gives crypto/tls the peer's bytes: from the handshake goroutine's
// pipe, or afterwards from the bytes lent by receive.
func (w *tlsWire) Read(p []byte) (int, error) {
	if w.hs != nil {
		return w.hs.read(p)
	}
	if len(w.src) == 0 {
		return 0, errWouldBlock{}
	}
	n := copy(p, w.src)
	w.src = w.src[n:]
	return n, nil
}

// Write takes records from crypto/tls. The handshake goroutine's are copied
// to the loop (crypto/tls reuses its buffer) and written there; afterwards
// they are collected by sealTC, or (alerts, key updates) written at once.
func (w *tlsWire) Write(b []byte) (int, error) {
	t := (*tlsTransport)(w)
	if hs := t.hs; hs != nil {
		if hs.isClosed() {
			return 0, net.ErrClosed
		}
		hs.noteWritten(b)
		rec := slices.Clone(b)
		t.c.loop.Execute(func() {
			if !t.c.has(connClosed | connClosing) {
				_, _ = t.Conn.Write(rec)
				t.c.noteTransportWrite()
			}
		})
		return len(b), nil
	}
	if t.batch {
		t.out = append(t.out, b...)
		return len(b), nil
	}
	n, err := t.Conn.Write(b)
	t.c.noteTransportWrite()
	return n, err
}

// Close is a no-op: the Conn closes the socket.
func (w *tlsWire) Close() error { return nil }

// LocalAddr and RemoteAddr are the socket's, for ClientHelloInfo.Conn.
func (w *tlsWire) LocalAddr() net.Addr { return w.Conn.LocalAddr() }

func (w *tlsWire) RemoteAddr() net.Addr { return net.TCPAddrFromAddrPort(w.c.RemoteAddr()) }

// Deadlines are the loop's business (the handshake timer): the setters are
// no-ops.
func (w *tlsWire) SetDeadline(time.Time) error      { return nil }
func (w *tlsWire) SetReadDeadline(time.Time) error  { return nil }
func (w *tlsWire) SetWriteDeadline(time.Time) error { return nil }
