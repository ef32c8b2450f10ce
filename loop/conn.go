package loop

import (
	"net/netip"
	"sync/atomic"
	"syscall"
	"time"
)

// iovMax is Linux's IOV_MAX: gnet's Writev does not clamp, so batches are
// cut to this many buffers per call.
const iovMax = 1024

// Conn is one accepted connection. A Conn value is never reused: once closed
// it drops every write, so a stale handle kept by a room or a goroutine can
// never deliver bytes to a later connection that got the same descriptor.
//
// The server holds one per connection, so the layout is kept to 112 bytes
// (the 112-byte size class; TestConnSize): the write queue is lent by the
// loop behind one pointer, the remote address is kept as its netip.Addr and
// port (a netip.AddrPort pads its 2-byte port to 8 bytes), and the
// loop-goroutine flags share one byte. What a write reads (t, loop, pend,
// backlog, flags) comes first, in 39 bytes, so that a fan-out touches one
// cache line of most connections rather than two; the flush reads the
// write queue, which keeps t, not the Conn (dirtyring.go).
type Conn struct {
	t    transport
	loop *Loop
	pend *pendQueue // nil unless written to since its last flush (dirtyRing); loop goroutine only
	// backlog is set by the owning loop while gnet holds bytes the kernel
	// refused, as of the last flush or tick; any goroutine may read it.
	backlog atomic.Bool
	rport   uint16
	flags   connFlags // loop goroutine only

	id uint64
	// raddr and rport (above) are the peer's address, for RemoteAddr: set
	// before the connection is handed to a loop, never changed after.
	raddr netip.Addr

	// Loop goroutine only.
	ctx  any
	shut *shutState // nil until the connection starts closing
	prev *Conn
	next *Conn
}

// connFlags are a Conn's loop-goroutine state bits.
type connFlags uint8

const (
	// connClosing: CloseWithError or CloseAfterFlush began; writes are
	// dropped and the transport is closing.
	connClosing connFlags = 1 << iota
	// connClosed: OnClose has run (or is running): the connection is gone.
	connClosed
	// connCarry: the handler left bytes unconsumed that no gnet buffer
	// holds (Loop.carry; see adopt.go).
	connCarry
	// connHandshaking: a TLS connection whose handshake has not finished;
	// the handler has not seen it (tls_conn.go).
	connHandshaking
)

// has reports whether any of the flags f is set.
func (c *Conn) has(f connFlags) bool { return c.flags&f != 0 }

// pendBytes returns the bytes queued on c in this turn.
func (c *Conn) pendBytes() int {
	if c.pend == nil {
		return 0
	}
	return c.pend.n
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
//
// Its methods are gnet.Conn's own, so that a gnet connection is stored
// as itself: a wrapper would cost a 16-byte allocation per connection.
type transport interface {
	Write(b []byte) (int, error)
	Writev(bs [][]byte) (int, error)
	OutboundBuffered() int
	Fd() int
	Close() error
}

// halfCloser is implemented by transports that shut down their write side
// themselves: the in-memory one (no descriptor) and TLS (close_notify
// before FIN).
type halfCloser interface{ shutdownWrite() }

// shutdownWrite sends FIN: the peer reads everything written, then EOF.
func shutdownWrite(t transport) {
	if h, ok := t.(halfCloser); ok {
		h.shutdownWrite()
		return
	}
	_ = syscall.Shutdown(t.Fd(), syscall.SHUT_WR)
}

// ID returns a number unique to this connection for the life of the
// process (never reused, unlike file descriptors). Safe from any goroutine.
func (c *Conn) ID() uint64 { return c.id }

// Loop returns the loop that owns the connection. Safe from any goroutine.
func (c *Conn) Loop() *Loop { return c.loop }

// RemoteAddr returns the peer's address. Safe from any goroutine.
func (c *Conn) RemoteAddr() netip.AddrPort { return netip.AddrPortFrom(c.raddr, c.rport) }

// setRemote records the peer's address; only before the connection is
// handed to its loop.
func (c *Conn) setRemote(ap netip.AddrPort) { c.raddr, c.rport = ap.Addr(), ap.Port() }

// Context returns the value stored with SetContext. Loop goroutine only.
func (c *Conn) Context() any { return c.ctx }

// SetContext stores per-connection state for the handler. Loop goroutine only.
func (c *Conn) SetContext(v any) { c.ctx = v }

// Closed reports whether the connection is closed or closing, in which case
// writes are dropped. Loop goroutine only.
func (c *Conn) Closed() bool { return c.has(connClosed | connClosing) }

// Queued returns the outbound bytes waiting for the kernel: those queued in
// this turn plus gnet's buffer. Loop goroutine only.
func (c *Conn) Queued() int {
	if c.has(connClosed) {
		return 0
	}
	return c.pendBytes() + c.transportQueued()
}

// transportQueued returns the bytes the transport (gnet) holds, asking it
// only when the connection is backlogged: bytes enter the transport only
// in a flush (or a write that then calls noteTransportWrite), which sets
// the backlog flag when any are left, and the flag is cleared only once
// the transport holds none. A fan-out's write to a connection that keeps
// up thus never calls into gnet. Loop goroutine only.
func (c *Conn) transportQueued() int {
	if !c.backlog.Load() {
		return 0
	}
	return c.t.OutboundBuffered()
}

// noteTransportWrite keeps transportQueued exact after bytes were written
// to the transport outside a flush (TLS alerts, handshake records). Loop
// goroutine only.
func (c *Conn) noteTransportWrite() {
	if !c.has(connClosed) && !c.backlog.Load() && c.t.OutboundBuffered() > 0 {
		c.loop.markBacklogged(c)
	}
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
func (c *Conn) Writable() bool { return !c.Closed() && c.transportQueued() == 0 }

// Write queues b for the connection. The loop sends everything queued for a
// connection in one writev(2) at the end of the current turn. Write keeps a
// reference to b until then: b must not change before the turn ends (shared,
// pre-encoded frames and Loop.Scratch memory are both fine). A connection
// over its queue cap is closed with ErrSlowConsumer. Loop goroutine only.
func (c *Conn) Write(b []byte) error {
	if c.has(connClosed | connClosing) {
		return ErrClosed
	}
	if len(b) == 0 {
		return nil
	}
	if c.pendBytes()+len(b)+c.transportQueued() > c.loop.srv.opts.maxQueued {
		c.loop.stats.capCloses.Add(1)
		c.CloseWithError(ErrSlowConsumer)
		return ErrSlowConsumer
	}
	q := c.pend
	if q == nil {
		q = c.loop.dirty.lend(c)
		c.pend = q
		c.loop.dirtied++
	}
	q.bufs = append(q.bufs, b)
	q.n += len(b)
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
	if c.has(connClosed) {
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
		resetOnClose(c.t)
	}
	c.flags |= connClosing
	if !c.has(connClosed) {
		_ = c.t.Close()
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
	if c.has(connClosed | connClosing) {
		return
	}
	if err == nil {
		err = ErrLocalClose
	}
	c.setCloseErr(err)
	c.flush()
	if c.has(connClosed) {
		return
	}
	c.flags |= connClosing
	c.shut.by = time.Now().Add(c.loop.srv.opts.closeGrace)
	c.halfCloseIfFlushed()
	c.loop.closing = append(c.loop.closing, c)
	c.loop.needNextTick()
}

// halfCloseIfFlushed sends FIN once gnet holds nothing more for the peer.
func (c *Conn) halfCloseIfFlushed() {
	if !c.shut.halfShut && c.t.OutboundBuffered() == 0 {
		c.shut.halfShut = true
		shutdownWrite(c.t)
	}
}

// dropPending empties the write queue. The queue stays lent to c until
// the loop's flush reaches it (dirtyRing), in its place: a write meanwhile
// (none once c is closing) joins it.
func (c *Conn) dropPending() {
	if q := c.pend; q != nil {
		q.empty()
	}
}

// flush hands the queued buffers to the kernel, IOV_MAX at a time. gnet
// copies whatever the kernel refuses into its own buffer, so the caller's
// bytes are free once flush returns. A write error closes the connection
// re-entrantly (OnClose runs inside, and gives the queue back), which the
// closed checks absorb.
func (c *Conn) flush() {
	st := &c.loop.stats
	st.flushes.Add(1)
	st.bytesOut.Add(uint64(c.flushQueue()))
}

// flushQueue is flush without the statistics: it returns the bytes
// written. The emptied queue stays lent to c: flushSome takes it back, in
// order.
func (c *Conn) flushQueue() int {
	if q := c.pend; q != nil {
		return q.flush()
	}
	return 0
}

// flush writes the queue to its connection's transport and empties it,
// returning the bytes written. flushSome calls it for a fan-out's
// connections, adding the statistics once for them all.
//
// It reads q and q.t, not q.c, whose line a fan-out's flush would wait
// for (written a whole fan-out earlier, it is gone from the cache): a
// closed or closing connection has an empty queue (every close empties it,
// and Write refuses to fill it again), and q.c is read only when the
// transport kept bytes (backlog).
func (q *pendQueue) flush() (total int) {
	// A write error closes c re-entrantly, which empties q (dropPending):
	// len(q.bufs) is read again after every write.
	wrote := false
	for i := 0; i < len(q.bufs); {
		bufs := q.bufs
		n := min(len(bufs)-i, iovMax)
		var (
			err error
			w   int
		)
		if n == 1 {
			w, err = q.t.Write(bufs[i])
		} else {
			w, err = q.t.Writev(bufs[i : i+n])
		}
		if err != nil {
			wrote = false
			break
		}
		wrote = true
		total += w
		i += n
	}
	q.empty()
	if wrote && q.t.OutboundBuffered() > 0 {
		q.c.noteTransportWrite() // the transport kept bytes: backlogged
	}
	return total
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
