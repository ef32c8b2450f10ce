package wsclient

import (
	"time"

	"golang.org/x/sys/unix"
)

const scratchSize = 256 << 10

// worker is one epoll loop. Everything here except epfd is owned by the
// worker goroutine.
type worker struct {
	e       *Engine
	epfd    int
	scratch []byte
	out     []byte // frame-building buffer for pongs and "40"
	cipher  []byte // TLS only: ciphertext read from a socket, lent to crypto/tls
	exited  chan struct{}
}

func newWorker(e *Engine) (*worker, error) {
	fd, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return nil, err
	}
	w := &worker{e: e, epfd: fd, scratch: make([]byte, scratchSize), exited: make(chan struct{})}
	if e.cfg.TLS != nil {
		w.cipher = make([]byte, scratchSize)
	}
	return w, nil
}

func (w *worker) run() {
	defer close(w.exited)
	events := make([]unix.EpollEvent, 512)
	for !w.e.stop.Load() {
		n, err := unix.EpollWait(w.epfd, events, 50)
		if err != nil && err != unix.EINTR {
			return
		}
		for i := 0; i < n; i++ {
			ev := &events[i]
			c := w.e.table[ev.Fd].Load()
			if c == nil || c.w != w {
				continue
			}
			w.handle(c, ev.Events)
		}
	}
}

func (w *worker) handle(c *Conn, evs uint32) {
	if t := c.tls; t != nil {
		if t.shaking.Load() {
			return // the handshake goroutine owns the socket; it re-arms epoll
		}
		if t.err != nil {
			w.closeConn(c, t.err)
			return
		}
	}
	if c.state == stConnecting {
		if evs&(unix.EPOLLOUT|unix.EPOLLERR|unix.EPOLLHUP) == 0 {
			return
		}
		if errno, err := unix.GetsockoptInt(c.fd, unix.SOL_SOCKET, unix.SO_ERROR); err != nil || errno != 0 {
			if err == nil {
				err = unix.Errno(errno)
			}
			w.closeConn(c, err)
			return
		}
		if err := w.hello(c); err != nil {
			w.closeConn(c, err)
			return
		}
	} else if evs&unix.EPOLLOUT != 0 {
		if err := c.flush(); err != nil {
			w.closeConn(c, err)
			return
		}
	}
	switch {
	case c.tls != nil:
		// Read even without EPOLLIN: the handshake may have left records in
		// crypto/tls's buffer, and the event that re-armed the socket after
		// it may be EPOLLOUT alone.
		if c.state != stConnecting && !c.tls.shaking.Load() {
			w.readAllTLS(c)
		}
	case evs&(unix.EPOLLIN|unix.EPOLLRDHUP|unix.EPOLLHUP|unix.EPOLLERR) != 0:
		w.readAll(c)
	}
}

// readAll drains the socket (edge-triggered) through the scratch buffer.
func (w *worker) readAll(c *Conn) {
	for {
		n0 := w.prepareScratch(c)
		n, err := unix.Read(c.fd, w.scratch[n0:])
		if err == unix.EINTR {
			continue
		}
		if err == unix.EAGAIN {
			return
		}
		if err != nil {
			w.closeConn(c, err)
			return
		}
		if n == 0 {
			w.closeConn(c, ErrPeerClosed)
			return
		}
		buf := w.scratch[:n0+n]
		used, err := w.consume(c, buf, time.Now())
		if err != nil {
			w.closeConn(c, err)
			return
		}
		w.keep(c, buf[used:])
		if c.state == stConnecting {
			return // moved to its WebSocket connection; epoll reports that one
		}
		if n < len(w.scratch)-n0 {
			return // short read: drained; a new edge fires for new data
		}
	}
}

// prepareScratch copies c's pending bytes to the front of the scratch
// buffer (grown when they fill half of it) and returns their length.
func (w *worker) prepareScratch(c *Conn) int {
	if len(c.pending) > len(w.scratch)/2 {
		w.scratch = make([]byte, 2*len(w.scratch)+len(c.pending))
	}
	return copy(w.scratch, c.pending)
}

// keep saves the unconsumed tail; a connection that is between frames keeps
// no buffer at all.
func (w *worker) keep(c *Conn, rest []byte) {
	if len(rest) == 0 {
		if cap(c.pending) > 4096 {
			c.pending = nil
		} else {
			c.pending = c.pending[:0]
		}
		return
	}
	c.pending = append(c.pending[:0], rest...)
}

func (w *worker) closeConn(c *Conn, err error) {
	if !c.markClosed() {
		return
	}
	w.e.table[c.fd].Store(nil)
	unix.Close(c.fd)
	c.rd.Release()
	c.pending = nil
	if c.poster != nil {
		w.e.posts.closed(c)
		return
	}
	w.e.cfg.Handler.OnClose(c, err)
}
