package loop

import (
	"crypto/tls"
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
// is sealed by crypto/tls, and the records go to the gnet connection
// embedded here (which also provides Fd, OutboundBuffered and Close).
//
// tc's underlying net.Conn is the same value seen as a tlsWire: during the
// handshake it talks to the handshake goroutine through hs, afterwards it
// reads the bytes lent in src and writes to out or to the socket.
type tlsTransport struct {
	gnet.Conn
	c  *Conn
	tc *tls.Conn
	// hs is the handshake's state until it finishes; then nil, on the loop,
	// after the handshake goroutine has let go of it.
	hs *tlsHandshake

	// Loop goroutine only, once established.
	src   []byte // ciphertext lent to one receive, for tc.Read to take
	out   []byte // sealed records of one seal, lent by the loop
	batch bool   // out collects records (else they go straight to the socket)
	pin   []byte // plaintext the handler has not consumed yet; nil if none
}

// tlsHandshake connects the loop to the handshake goroutine.
type tlsHandshake struct {
	mu     sync.Mutex
	buf    []byte // received from the peer, not yet read by the handshake
	closed bool   // the connection is gone: reads end with EOF
	wake   chan struct{}
	timer  Timer // the handshake deadline; loop goroutine only
}

// startTLS makes c a TLS connection over gc and starts its handshake. It
// runs in gnet's OnOpen, on the loop; the handler sees c once the handshake
// has finished (tlsTransport.established).
func startTLS(c *Conn, gc gnet.Conn) {
	opts := &c.loop.srv.opts
	t := &tlsTransport{Conn: gc, c: c, hs: &tlsHandshake{wake: make(chan struct{}, 1)}}
	t.tc = tls.Server((*tlsWire)(t), opts.tls)
	c.t = t
	t.hs.timer.Init(func() { c.CloseWithError(ErrTLSHandshakeTimeout) })
	timeout := opts.tlsTimeout
	if timeout <= 0 {
		timeout = defaultTLSHandshakeTimeout
	}
	c.loop.Arm(&t.hs.timer, timeout)
	go t.handshake()
}

// handshake runs tls.Conn.Handshake on its own goroutine and reports the
// outcome to the loop.
func (t *tlsTransport) handshake() {
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
	t.c.loop.Execute(t.established)
}

// established runs on the loop once the handshake succeeded: the handler
// gets OnOpen, then whatever the peer sent after its Finished.
func (t *tlsTransport) established() {
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
	c.flags &^= connHandshaking
	l := c.loop
	l.safely(c, func() { l.srv.handler.OnOpen(c) })
	if !c.Closed() {
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

// traffic takes the bytes gnet received, all of them: during the handshake
// they go to the handshake goroutine, afterwards they are opened here.
// Loop goroutine only.
func (t *tlsTransport) traffic(in []byte) {
	if hs := t.hs; hs != nil {
		if !hs.feed(in) {
			t.c.CloseWithError(errTLSHandshakeFlood)
		}
		return
	}
	t.receive(in)
}

// receive opens the records in src (lent for this call) and offers the
// plaintext, after any the handler left unconsumed, to OnData. Loop
// goroutine only.
func (t *tlsTransport) receive(src []byte) {
	c := t.c
	l := c.loop
	t.src = src
	buf := append(lend(&l.tls.in), t.pin...)
	had := len(buf)
	var err error
	for err == nil {
		buf = slices.Grow(buf, tlsReadChunk)
		var n int
		n, err = t.tc.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
	}
	t.src = nil
	if len(buf) > had {
		n := 0
		l.safely(c, func() { n = l.srv.handler.OnData(c, buf) })
		t.keep(buf[min(n, len(buf)):])
	}
	giveBack(&l.tls.in, buf)
	if _, ok := err.(errWouldBlock); !ok {
		if err == io.EOF { // close_notify
			err = errEOF
		}
		c.CloseAfterFlush(err)
	}
}

// keep stores the plaintext the handler did not consume, for the next
// OnData; a connection that consumed everything holds no buffer.
func (t *tlsTransport) keep(rest []byte) {
	if len(rest) == 0 || t.c.has(connClosed) {
		t.pin = nil
		return
	}
	t.pin = append(t.pin[:0], rest...)
}

// Write seals b (Conn.flush of a single buffer). Loop goroutine only.
func (t *tlsTransport) Write(b []byte) (int, error) { return t.seal(b) }

// Writev seals bs as one run of records (Conn.flush). Loop goroutine only.
func (t *tlsTransport) Writev(bs [][]byte) (int, error) {
	l := t.c.loop
	plain := l.concat(bs)
	n, err := t.seal(plain)
	giveBack(&l.tls.plain, plain)
	return n, err
}

// seal encrypts plain into records collected in a buffer the loop lends,
// and hands them to the socket in one write; gnet keeps a copy of what the
// kernel refuses, so the buffer is free again at once.
func (t *tlsTransport) seal(plain []byte) (int, error) {
	if t.hs != nil {
		return 0, ErrClosed // the handler cannot hold c before the handshake ends
	}
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
	if t.hs == nil {
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

// read waits for bytes from the peer. Handshake goroutine only.
func (hs *tlsHandshake) read(p []byte) (int, error) {
	for {
		hs.mu.Lock()
		if len(hs.buf) > 0 {
			n := copy(p, hs.buf)
			hs.buf = hs.buf[n:]
			if len(hs.buf) == 0 {
				hs.buf = nil
			}
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
// they are collected by seal, or (alerts, key updates) written at once.
func (w *tlsWire) Write(b []byte) (int, error) {
	t := (*tlsTransport)(w)
	if hs := t.hs; hs != nil {
		if hs.isClosed() {
			return 0, net.ErrClosed
		}
		rec := slices.Clone(b)
		t.c.loop.Execute(func() {
			if !t.c.has(connClosed | connClosing) {
				_, _ = t.Conn.Write(rec)
			}
		})
		return len(b), nil
	}
	if t.batch {
		t.out = append(t.out, b...)
		return len(b), nil
	}
	return t.Conn.Write(b)
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
