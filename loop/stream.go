package loop

import (
	"net"
	"sync"
	"time"
)

// A stream carries a connection that has no descriptor the loop could poll:
// a *tls.Conn hijacked from net/http (its TLS state lives in crypto/tls and
// cannot be handed over), or a net.Conn wrapped by a listener. Two
// goroutines do the blocking I/O: the reader hands each chunk to the loop
// and waits until the handler saw it (so a fast peer cannot queue unbounded
// input), the writer sends what the handler wrote. The handler sees the
// same callbacks, writes and closes as for a socket; the cost is the two
// goroutines and their buffers per connection (see docs/architecture.md).

// streamReadBuf is the reader's buffer: crypto/tls already holds a whole
// record, so a small one only means more hand-offs for large messages.
const streamReadBuf = 4 << 10

type streamTransport struct {
	c  *Conn
	nc net.Conn

	mu     sync.Mutex
	out    []byte // written by the handler, not yet taken by the writer
	busy   int    // bytes the writer is sending now
	fin    bool   // shutdownWrite: half-close once out is sent
	closed bool
	wake   chan struct{} // the writer's signal
	ack    chan struct{} // the loop saw the reader's chunk
}

// startStream runs c over nc on l. first is handed to the handler before
// anything read from nc.
func startStream(l *Loop, c *Conn, nc net.Conn, first []byte) {
	_ = nc.SetDeadline(time.Time{}) // deadlines of the server nc came from
	t := &streamTransport{c: c, nc: nc, wake: make(chan struct{}, 1), ack: make(chan struct{}, 1)}
	c.t, c.loop = t, l
	l.srv.streams.Store(t, struct{}{})
	l.Execute(func() { l.open(c, first) })
	go t.readLoop()
	go t.writeLoop()
}

// readLoop hands the peer's bytes to the loop until nc fails or closes,
// then closes the connection there.
func (t *streamTransport) readLoop() {
	l := t.c.loop
	buf := make([]byte, streamReadBuf)
	for {
		n, err := t.nc.Read(buf)
		if n > 0 {
			chunk := buf[:n]
			l.Execute(func() {
				l.feed(t.c, chunk)
				t.ack <- struct{}{}
			})
			select {
			case <-t.ack:
			case <-l.srv.done:
				err = ErrShutdown
			}
		}
		if err != nil {
			l.Execute(func() { l.closed(t.c, err) })
			_ = t.Close()
			l.srv.streams.Delete(t)
			return
		}
	}
}

// writeLoop sends the handler's bytes in the order written.
func (t *streamTransport) writeLoop() {
	var buf []byte
	for range t.wake {
		t.mu.Lock()
		if t.closed {
			t.mu.Unlock()
			_ = t.nc.Close() // the reader's Read fails: OnClose follows
			return
		}
		buf, t.out = t.out, buf[:0]
		t.busy = len(buf)
		fin := t.fin && len(buf) == 0
		t.mu.Unlock()
		if len(buf) > 0 {
			if _, err := t.nc.Write(buf); err != nil {
				_ = t.nc.Close()
				return
			}
			t.mu.Lock()
			t.busy = 0
			more := len(t.out) > 0 || t.fin
			t.mu.Unlock()
			if more {
				t.signal()
			}
		}
		if fin {
			closeWrite(t.nc)
		}
	}
}

// closeWrite half-closes nc: a *tls.Conn sends its close_notify alert, then
// the socket under it sends FIN.
func closeWrite(nc net.Conn) {
	if cw, ok := nc.(interface{ CloseWrite() error }); ok {
		_ = cw.CloseWrite()
	}
	if w, ok := nc.(interface{ NetConn() net.Conn }); ok {
		closeWrite(w.NetConn())
	}
}

func (t *streamTransport) signal() {
	select {
	case t.wake <- struct{}{}:
	default:
	}
}

func (t *streamTransport) Write(b []byte) (int, error) {
	t.mu.Lock()
	if !t.closed && !t.fin {
		t.out = append(t.out, b...)
	}
	t.mu.Unlock()
	t.signal()
	return len(b), nil
}

func (t *streamTransport) Writev(bs [][]byte) (int, error) {
	n := 0
	for _, b := range bs {
		m, _ := t.Write(b)
		n += m
	}
	return n, nil
}

// OutboundBuffered counts the bytes not yet taken by nc: the queue that
// WithMaxQueuedBytes caps and volatile messages test.
func (t *streamTransport) OutboundBuffered() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.out) + t.busy
}

// Fd is -1: the descriptor belongs to nc (shutdownWrite is used instead).
func (t *streamTransport) Fd() int { return -1 }

func (t *streamTransport) shutdownWrite() {
	t.mu.Lock()
	t.fin = true
	t.mu.Unlock()
	t.signal()
}

// Close asks the writer to close nc; the reader then fails and closes the
// connection on the loop. It never blocks (closing a *tls.Conn writes an
// alert): a write in progress is cut short by a deadline in the past.
func (t *streamTransport) Close() error {
	t.mu.Lock()
	already := t.closed
	t.closed = true
	t.mu.Unlock()
	if !already {
		_ = t.nc.SetWriteDeadline(time.Now())
		t.signal()
	}
	return nil
}

// closeStreams closes what is left of the streams once the loops stopped.
func (s *Server) closeStreams() {
	s.streams.Range(func(k, _ any) bool {
		_ = k.(*streamTransport).nc.Close()
		return true
	})
}
