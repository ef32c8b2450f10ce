package wsclient

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"
)

// wss:// clients (Config.TLS), in two phases per connection, like the
// server's reactor TLS (loop/tls.go):
//
//   - The handshake is crypto/tls's, on a goroutine of its own that does
//     blocking I/O on the socket (poll(2) on EAGAIN) while the worker
//     ignores the socket's events. It ends by sending the upgrade request,
//     handing the socket back and re-arming epoll (EPOLL_CTL_MOD queues an
//     event for whatever arrived meanwhile). The goroutine ends with the
//     handshake: an established connection costs none.
//   - Then the worker reads ciphertext into a per-worker buffer and lends
//     it to tls.Conn.Read for one call at a time; an empty lend answers
//     with a temporary net.Error, which crypto/tls keeps as a retryable
//     condition (a partial record stays in its input buffer) instead of a
//     sticky failure. Send seals with tls.Conn.Write, whose records go
//     through the same write path as plain frames (written at once, the
//     rest buffered until EPOLLOUT).
//
// The tls.Conn stays for the connection's life (records, KeyUpdate,
// close_notify): an estimated 8 KB per client more than ws:// (the server
// measured +8 KB per connection when it kept its tls.Conn).

// tlsHandshakeTimeout bounds each wait of a handshake in poll(2).
const tlsHandshakeTimeout = 10 * time.Second

// tlsLayer is a connection's TLS state.
type tlsLayer struct {
	c    *Conn
	conn *tls.Conn
	// shaking is set while the handshake goroutine owns the socket; the
	// worker ignores its events until it is cleared.
	shaking atomic.Bool
	// err is the handshake's failure, written before shaking is cleared.
	err error
	// lent is the ciphertext lent for one tls.Conn.Read (worker only).
	lent []byte
}

// errWouldBlock tells crypto/tls that the lent ciphertext is used up: a
// temporary net.Error, so the record state is kept for the next lend.
var errWouldBlock error = wouldBlock{}

type wouldBlock struct{}

func (wouldBlock) Error() string   { return "wsclient: tls: no more ciphertext lent" }
func (wouldBlock) Timeout() bool   { return true }
func (wouldBlock) Temporary() bool { return true }

// newTLS wraps c in a client tls.Conn; the handshake starts with handshake.
func newTLS(c *Conn, cfg *tls.Config) *tlsLayer {
	t := &tlsLayer{c: c}
	t.conn = tls.Client(transport{t}, cfg)
	return t
}

// handshake runs on its own goroutine: the TLS handshake, then the
// upgrade request, then the socket goes back to the worker. Any error is
// left in t.err for the worker, which closes the connection.
func (t *tlsLayer) handshake(request []byte) {
	t.shaking.Store(true)
	go func() {
		err := t.conn.Handshake()
		if err == nil {
			_, err = t.conn.Write(request)
		}
		t.err = err
		t.c.mu.Lock()
		fd, closed := t.c.fd, t.c.closed
		t.c.mu.Unlock()
		t.shaking.Store(false)
		if !closed {
			// Re-arm: the socket is writable, so an event is queued even
			// when nothing arrived during the handshake.
			ev := unix.EpollEvent{Events: unix.EPOLLIN | unix.EPOLLOUT | unix.EPOLLRDHUP | unix.EPOLLET, Fd: int32(fd)}
			_ = unix.EpollCtl(t.c.w.epfd, unix.EPOLL_CTL_MOD, fd, &ev)
		}
	}()
}

// fill decrypts into dst: the lent ciphertext first, then whatever the
// socket has, until dst is full, the socket is drained (unix.EAGAIN) or
// it fails. The bytes returned count whatever the error. A read shorter
// than the buffer drained the socket (edge-triggered: a new event comes
// with new bytes), which saves the read(2) that would answer EAGAIN.
// Worker only.
func (t *tlsLayer) fill(w *worker, dst []byte) (int, error) {
	total, drained := 0, false
	for total < len(dst) {
		n, err := t.conn.Read(dst[total:])
		total += n
		if err == nil {
			continue
		}
		if err != errWouldBlock {
			if errors.Is(err, io.EOF) {
				err = ErrPeerClosed
			}
			return total, err
		}
		if drained {
			return total, unix.EAGAIN
		}
		n, err = readSocket(t.c.fd, w.cipher)
		if err != nil {
			return total, err
		}
		t.lent, drained = w.cipher[:n], n < len(w.cipher)
	}
	return total, nil
}

// readSocket reads once, mapping end of stream to ErrPeerClosed; EAGAIN
// is returned as such.
func readSocket(fd int, b []byte) (int, error) {
	for {
		n, err := unix.Read(fd, b)
		switch {
		case err == unix.EINTR:
			continue
		case err != nil:
			return 0, err
		case n == 0:
			return 0, ErrPeerClosed
		}
		return n, nil
	}
}

// readAllTLS is readAll for a TLS connection: plaintext is decrypted into
// the scratch buffer behind the connection's pending bytes.
func (w *worker) readAllTLS(c *Conn) {
	for {
		n0 := w.prepareScratch(c)
		n, err := c.tls.fill(w, w.scratch[n0:])
		if n > 0 {
			buf := w.scratch[:n0+n]
			used, cerr := w.consume(c, buf, time.Now())
			if cerr != nil {
				w.closeConn(c, cerr)
				return
			}
			w.keep(c, buf[used:])
		}
		if err == unix.EAGAIN {
			return
		}
		if err != nil {
			w.closeConn(c, err)
			return
		}
	}
}

// transport is the net.Conn under a client's tls.Conn.
type transport struct{ t *tlsLayer }

// Read serves the handshake from the socket, blocking; after it, the
// ciphertext the worker lent.
func (tr transport) Read(p []byte) (int, error) {
	t := tr.t
	if t.shaking.Load() {
		return blockingIO(t.c.fd, unix.POLLIN, func() (int, error) { return readSocket(t.c.fd, p) })
	}
	if len(t.lent) == 0 {
		return 0, errWouldBlock
	}
	n := copy(p, t.lent)
	t.lent = t.lent[n:]
	return n, nil
}

// Write sends sealed records: blocking during the handshake, else through
// the connection's write path (the rest buffered until EPOLLOUT).
func (tr transport) Write(p []byte) (int, error) {
	c := tr.t.c
	if tr.t.shaking.Load() {
		done := 0
		for done < len(p) {
			n, err := blockingIO(c.fd, unix.POLLOUT, func() (int, error) { return unix.Write(c.fd, p[done:]) })
			if err != nil {
				return done, err
			}
			done += n
		}
		return done, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.writeLocked(p); err != nil {
		return 0, err
	}
	return len(p), nil
}

// blockingIO retries op, waiting in poll(2) for events on EAGAIN.
func blockingIO(fd int, events int16, op func() (int, error)) (int, error) {
	for {
		n, err := op()
		if err == unix.EINTR {
			continue
		}
		if err != unix.EAGAIN {
			return n, err
		}
		fds := []unix.PollFd{{Fd: int32(fd), Events: events}}
		k, err := unix.Poll(fds, int(tlsHandshakeTimeout/time.Millisecond))
		if err != nil && err != unix.EINTR {
			return 0, err
		}
		if k == 0 {
			return 0, context.DeadlineExceeded
		}
	}
}

// The rest of net.Conn: crypto/tls calls none of these on a client except
// Close (from tls.Conn.Close, which wsclient never calls: the worker owns
// the descriptor).
func (transport) Close() error                     { return nil }
func (transport) LocalAddr() net.Addr              { return &net.TCPAddr{} }
func (transport) RemoteAddr() net.Addr             { return &net.TCPAddr{} }
func (transport) SetDeadline(time.Time) error      { return nil }
func (transport) SetReadDeadline(time.Time) error  { return nil }
func (transport) SetWriteDeadline(time.Time) error { return nil }
