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
// input), the writer sends what the handler wrote and runs only while there
// is something to send. The handler sees the same callbacks, writes and
// closes as for a socket; the cost is the reader goroutine, its buffer and
// crypto/tls's per connection (see docs/benchmarks.md).

type streamTransport struct {
	c  *Conn
	nc net.Conn

	mu      sync.Mutex
	out     []byte // written by the handler, not yet taken by the writer
	busy    int    // bytes the writer is sending now
	fin     bool   // shutdownWrite: half-close once out is sent
	closed  bool
	writing bool // a writer goroutine runs
	ack     chan struct{}
}

// startStream runs c over nc on l. first is handed to the handler before
// anything read from nc.
func startStream(l *Loop, c *Conn, nc net.Conn, first []byte) {
	_ = nc.SetDeadline(time.Time{}) // deadlines of the server nc came from
	t := &streamTransport{c: c, nc: nc, ack: make(chan struct{}, 1)}
	c.t, c.loop = t, l
	l.srv.streams.Store(t, struct{}{})
	l.Execute(func() { l.open(c, first) })
	go t.readLoop()
}

// readLoop hands the peer's bytes to the loop until nc fails or closes,
// then closes the connection there. An idle connection waits with a small
// buffer; a read that fills it borrows a large one from a pool until the
// burst is over.
func (t *streamTransport) readLoop() {
	l := t.c.loop
	small := make([]byte, streamSmallBuf)
	buf := small
	for {
		n, err := t.nc.Read(buf)
		if n > 0 {
			chunk := buf[:n]
			l.Execute(func() {
				l.feed(t.c, chunk) // copies what it keeps
				t.ack <- struct{}{}
			})
			select {
			case <-t.ack:
			case <-l.srv.done:
				err = ErrShutdown
			}
		}
		switch {
		case n == len(small) && len(buf) == len(small):
			buf = *streamBufs.Get().(*[]byte)
		case n < len(buf) && len(buf) != len(small):
			streamBufs.Put(&buf)
			buf = small
		}
		if err != nil {
			l.Execute(func() { l.closed(t.c, err) })
			_ = t.Close()
			l.srv.streams.Delete(t)
			return
		}
	}
}

// Stream read buffers: the one an idle connection waits with, and the
// pooled ones bursts borrow (a TLS record's worth).
const (
	streamSmallBuf = 512
	streamLargeBuf = 16 << 10
)

var streamBufs = sync.Pool{New: func() any {
	b := make([]byte, streamLargeBuf)
	return &b
}}

// wake starts the writer unless it runs; t.mu held.
func (t *streamTransport) wake() {
	if !t.writing {
		t.writing = true
		go t.writeOut()
	}
}

// writeOut sends the handler's bytes in the order written, half-closes
// or closes nc when asked, and ends when nothing is left: an idle
// connection has no writer goroutine.
func (t *streamTransport) writeOut() {
	var buf []byte
	for {
		t.mu.Lock()
		switch {
		case t.closed:
			t.writing = false
			t.mu.Unlock()
			_ = t.nc.Close() // the reader's Read fails: OnClose follows
			return
		case len(t.out) == 0:
			fin := t.fin
			t.fin = false
			t.writing = false
			t.mu.Unlock()
			if fin {
				closeWrite(t.nc)
			}
			return
		}
		buf, t.out = t.out, buf[:0]
		t.busy = len(buf)
		t.mu.Unlock()
		if _, err := t.nc.Write(buf); err != nil {
			t.mu.Lock()
			t.closed = true
			t.writing = false
			t.mu.Unlock()
			_ = t.nc.Close()
			return
		}
		t.mu.Lock()
		t.busy = 0
		t.mu.Unlock()
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

func (t *streamTransport) Write(b []byte) (int, error) {
	t.mu.Lock()
	if !t.closed {
		t.out = append(t.out, b...)
		t.wake()
	}
	t.mu.Unlock()
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

// shutdownWrite half-closes once the bytes written before have left.
func (t *streamTransport) shutdownWrite() {
	t.mu.Lock()
	if !t.closed {
		t.fin = true
		t.wake()
	}
	t.mu.Unlock()
}

// Close asks the writer to close nc; the reader then fails and closes the
// connection on the loop. It never blocks (closing a *tls.Conn writes an
// alert): a write in progress is cut short by a deadline in the past.
func (t *streamTransport) Close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return nil
	}
	t.closed = true
	_ = t.nc.SetWriteDeadline(time.Now())
	t.wake()
	return nil
}

// closeStreams closes what is left of the streams once the loops stopped.
func (s *Server) closeStreams() {
	s.streams.Range(func(k, _ any) bool {
		_ = k.(*streamTransport).nc.Close()
		return true
	})
}
