package loop

import (
	"net/netip"
	"sync/atomic"
	"time"
)

// iovMax is Linux's IOV_MAX: gnet's Writev does not clamp, so batches are
// cut to this many buffers per call.
const iovMax = 1024

// Conn is one accepted connection. A Conn value is never reused: once closed
// it drops every write, so a stale handle kept by a room or a goroutine can
// never deliver bytes to a later connection that got the same descriptor.
type Conn struct {
	t      transport
	loop   *Loop
	id     uint64
	remote netip.AddrPort

	// Loop goroutine only.
	ctx     any
	pend    [][]byte // nil unless written to in this turn (see Loop.takePend)
	pendLen int
	dirty   bool
	closed  bool
	closing bool
	// backlog is set by the owning loop while gnet holds bytes the kernel
	// refused, as of the last flush or tick; any goroutine may read it.
	backlog atomic.Bool
	shut    *shutState // nil until the connection starts closing
	prev    *Conn
	next    *Conn
}

// shutState is what a closing connection needs; an open one, the common
// case at 100,000 idle connections, does not pay for it (48 bytes).
type shutState struct {
	err      error     // reason handed to OnClose
	by       time.Time // CloseAfterFlush: hard close after this
	halfShut bool      // CloseAfterFlush: FIN sent
}

// closeErr returns the reason the connection was closed with, or nil.
func (c *Conn) closeErr() error {
	if c.shut == nil {
		return nil
	}
	return c.shut.err
}

// setCloseErr records err as the reason unless one is already recorded.
func (c *Conn) setCloseErr(err error) {
	if c.shut == nil {
		c.shut = &shutState{}
	}
	if c.shut.err == nil {
		c.shut.err = err
	}
}

// transport is what a Conn needs from the network; gnet provides the real
// one. All methods are called on the owning loop only.
type transport interface {
	write(b []byte) error
	writev(bs [][]byte) error
	outbound() int
	shutdownWrite()
	close()
}

// ID returns a number unique to this connection for the life of the
// process (never reused, unlike file descriptors). Safe from any goroutine.
func (c *Conn) ID() uint64 { return c.id }

// Loop returns the loop that owns the connection. Safe from any goroutine.
func (c *Conn) Loop() *Loop { return c.loop }

// RemoteAddr returns the peer's address. Safe from any goroutine.
func (c *Conn) RemoteAddr() netip.AddrPort { return c.remote }

// Context returns the value stored with SetContext. Loop goroutine only.
func (c *Conn) Context() any { return c.ctx }

// SetContext stores per-connection state for the handler. Loop goroutine only.
func (c *Conn) SetContext(v any) { c.ctx = v }

// Closed reports whether the connection is closed or closing, in which case
// writes are dropped. Loop goroutine only.
func (c *Conn) Closed() bool { return c.closed || c.closing }

// Queued returns the outbound bytes waiting for the kernel: those queued in
// this turn plus gnet's buffer. Loop goroutine only.
func (c *Conn) Queued() int {
	if c.closed {
		return 0
	}
	return c.pendLen + c.t.outbound()
}

// Backlogged reports whether the connection had bytes waiting for the
// kernel at its loop's last flush or tick (every tick interval, 50 ms by
// default): Writable for another goroutine, which may not call Writable.
// A session whose WebSocket lives on another loop uses it to drop volatile
// messages to a client that is not keeping up. Safe from any goroutine.
func (c *Conn) Backlogged() bool { return c.backlog.Load() }

// Writable reports whether the kernel has taken every byte flushed so far:
// the test for volatile messages, which are dropped rather than queued
// behind a backlog. Bytes queued in this package for the next flush do not
// count: they leave in the same writev as the volatile message.
// Loop goroutine only.
func (c *Conn) Writable() bool { return !c.Closed() && c.t.outbound() == 0 }

// Write queues b for the connection. The loop sends everything queued for a
// connection in one writev(2) at the end of the current turn. Write keeps a
// reference to b until then: b must not change before the turn ends (shared,
// pre-encoded frames and Loop.Scratch memory are both fine). A connection
// over its queue cap is closed with ErrSlowConsumer. Loop goroutine only.
func (c *Conn) Write(b []byte) error {
	if c.closed || c.closing {
		return ErrClosed
	}
	if len(b) == 0 {
		return nil
	}
	if c.pendLen+len(b)+c.t.outbound() > c.loop.srv.opts.maxQueued {
		c.CloseWithError(ErrSlowConsumer)
		return ErrSlowConsumer
	}
	if c.pend == nil {
		c.pend = c.loop.takePend()
	}
	c.pend = append(c.pend, b)
	c.pendLen += len(b)
	if !c.dirty {
		c.dirty = true
		c.loop.dirty = append(c.loop.dirty, c)
	}
	return nil
}

// AsyncWrite queues b for the connection from any goroutine. Writes from one
// goroutine reach the peer in the order they were made, and in order with
// that goroutine's Loop.Execute tasks and Close calls. The connection keeps
// b until it is written: b must not be modified after the call. Writes to a
// closed connection are dropped. Safe from any goroutine.
func (c *Conn) AsyncWrite(b []byte) {
	c.loop.push(inboxItem{kind: itemWrite, c: c, b: b})
}

// Close closes the connection from any goroutine, after the writes queued
// before it. OnClose then receives ErrLocalClose. Safe from any goroutine.
func (c *Conn) Close() { c.AsyncClose(ErrLocalClose) }

// AsyncClose closes the connection with err as the reason given to OnClose,
// after the writes queued before it. Safe from any goroutine.
func (c *Conn) AsyncClose(err error) {
	c.loop.push(inboxItem{kind: itemClose, c: c, err: err})
}

// CloseWithError closes the connection now: bytes queued in this turn are
// flushed first, then the socket is closed and OnClose receives err.
// Further writes are dropped. Loop goroutine only.
func (c *Conn) CloseWithError(err error) {
	if c.closed {
		return
	}
	if err == nil {
		err = ErrLocalClose
	}
	c.setCloseErr(err)
	if err != ErrSlowConsumer {
		c.flush()
	} else {
		c.dropPending()
	}
	c.closing = true
	if !c.closed {
		c.t.close()
	}
}

// CloseAfterFlush stops accepting writes and closes gracefully: once the
// bytes already queued have left, it sends FIN (shutdown of the write side)
// and keeps reading and discarding until the peer closes too, or until the
// close grace period (WithCloseGrace) ends. Closing at once would drop what
// the kernel has not sent yet, and closing with unread input makes the
// kernel answer with a reset that can destroy a goodbye message (an HTTP
// error, a WebSocket close frame) before the peer reads it. Loop goroutine
// only.
func (c *Conn) CloseAfterFlush(err error) {
	if c.closed || c.closing {
		return
	}
	if err == nil {
		err = ErrLocalClose
	}
	c.setCloseErr(err)
	c.flush()
	if c.closed {
		return
	}
	c.closing = true
	c.shut.by = time.Now().Add(c.loop.srv.opts.closeGrace)
	c.halfCloseIfFlushed()
	c.loop.closing = append(c.loop.closing, c)
}

// halfCloseIfFlushed sends FIN once gnet holds nothing more for the peer.
func (c *Conn) halfCloseIfFlushed() {
	if !c.shut.halfShut && c.t.outbound() == 0 {
		c.shut.halfShut = true
		c.t.shutdownWrite()
	}
}

// dropPending empties the write queue and gives it back to the loop.
func (c *Conn) dropPending() {
	if c.pend != nil {
		clear(c.pend)
		c.loop.givePend(c.pend)
		c.pend = nil
	}
	c.pendLen = 0
}

// flush hands the queued buffers to the kernel, IOV_MAX at a time. gnet
// copies whatever the kernel refuses into its own buffer, so the caller's
// bytes are free once flush returns. A write error closes the connection
// re-entrantly (OnClose runs inside), which the closed checks absorb.
func (c *Conn) flush() {
	c.dirty = false
	for i := 0; i < len(c.pend) && !c.closed; {
		n := min(len(c.pend)-i, iovMax)
		var err error
		if n == 1 {
			err = c.t.write(c.pend[i])
		} else {
			err = c.t.writev(c.pend[i : i+n])
		}
		if err != nil {
			break
		}
		i += n
	}
	c.dropPending()
	if !c.closed && !c.backlog.Load() && c.t.outbound() > 0 {
		c.backlog.Store(true)
		c.loop.backlogged = append(c.loop.backlogged, c)
	}
}

// connList is an intrusive list of a loop's connections, for shutdown.
type connList struct {
	head *Conn
	n    int
}

func (l *connList) add(c *Conn) {
	c.prev, c.next = nil, l.head
	if l.head != nil {
		l.head.prev = c
	}
	l.head = c
	l.n++
}

func (l *connList) remove(c *Conn) {
	if c.prev != nil {
		c.prev.next = c.next
	} else if l.head == c {
		l.head = c.next
	} else {
		return
	}
	if c.next != nil {
		c.next.prev = c.prev
	}
	c.prev, c.next = nil, nil
	l.n--
}
