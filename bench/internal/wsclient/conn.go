package wsclient

import (
	"net/netip"
	"sync"
	"time"

	"github.com/gobwas/ws"
	"golang.org/x/sys/unix"

	"github.com/sio-fast/sio-fast/internal/wsframe"
)

// Connection states, advanced by the owning worker only.
const (
	stConnecting uint8 = iota // TCP connect in flight
	stPolling                 // polling handshake sent, waiting for the 200
	stHTTP                    // upgrade request sent, waiting for 101
	stOpen                    // waiting for the Engine.IO open packet
	stProbe                   // sent 2probe, waiting for 3probe
	stConnect                 // sent 40, waiting for the server's 40
	stReady                   // Socket.IO connected
	stPost                    // a POST pool connection, connected
)

// Conn is one client connection. Its exported fields belong to the load
// generator, which may use them from the worker goroutine (in Handler
// callbacks) or atomically elsewhere.
type Conn struct {
	// ID is the index given to Dial.
	ID int
	// Started is when Dial was called; handshake latency is measured from it.
	Started time.Time
	// NextAck is the next Socket.IO ack id this client will use. Owned by the
	// goroutine that sends from this connection.
	NextAck uint64
	// Room is the room index the load generator assigned (or -1).
	Room int

	fd      int
	w       *worker
	src     netip.Addr // source address, reused for the WebSocket leg
	sid     string     // Engine.IO session id, until the upgrade is sent
	state   uint8
	rd      wsframe.Reader
	pending []byte      // bytes of a frame split across reads (worker only)
	tls     *tlsLayer   // nil for ws://
	poll    *pollClient // TransportPolling clients only
	poster  *poster     // a connection of the engine's POST pool (no client)

	mu     sync.Mutex // guards wbuf, closed and changes of fd; held during write(2)
	wbuf   []byte
	closed bool
}

// mask is the client masking key. RFC 6455 wants it unpredictable to protect
// proxies from cache poisoning; on loopback against our own servers a fixed
// key is harmless and saves work.
var mask = [4]byte{0x12, 0x34, 0x56, 0x78}

// AppendText appends a masked text frame holding payload, ready for Send.
// Safe from any goroutine.
func AppendText(dst []byte, payload []byte) []byte {
	return wsframe.AppendClientFrame(dst, ws.OpText, true, mask, payload)
}

// Send writes a complete, already framed message (see AppendText). What the
// kernel does not take is buffered and flushed when the socket is writable.
// Any goroutine.
func (c *Conn) Send(frame []byte) error {
	if c.tls != nil {
		// Sealed records come back through transport.Write, which takes mu;
		// tls.Conn orders concurrent writers itself.
		_, err := c.tls.conn.Write(frame)
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.writeLocked(frame)
}

// writeLocked writes frame, or queues it behind bytes the kernel has not taken
// yet. c.mu is held.
func (c *Conn) writeLocked(frame []byte) error {
	if c.closed {
		return ErrClosed
	}
	if len(c.wbuf) > 0 {
		c.wbuf = append(c.wbuf, frame...)
		return nil
	}
	n, err := writeAll(c.fd, frame)
	if err != nil {
		return err
	}
	if n < len(frame) {
		c.wbuf = append(c.wbuf, frame[n:]...)
	}
	return nil
}

// Pending returns the number of bytes waiting for the kernel. Any goroutine.
func (c *Conn) Pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.wbuf)
}

// flush writes buffered bytes after EPOLLOUT. Worker only.
func (c *Conn) flush() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed || len(c.wbuf) == 0 {
		return nil
	}
	n, err := writeAll(c.fd, c.wbuf)
	if err != nil {
		return err
	}
	if n == len(c.wbuf) {
		c.wbuf = nil // an idle connection holds no write buffer
		return nil
	}
	c.wbuf = append(c.wbuf[:0], c.wbuf[n:]...)
	return nil
}

// writeAll writes until done or EAGAIN; it returns how much was written.
func writeAll(fd int, b []byte) (int, error) {
	done := 0
	for done < len(b) {
		n, err := unix.Write(fd, b[done:])
		if err == unix.EINTR {
			continue
		}
		if err == unix.EAGAIN {
			return done, nil
		}
		if err != nil {
			return done, err
		}
		done += n
	}
	return done, nil
}

// markClosed flags the connection so Send stops touching the fd, which the
// kernel may hand out again once closed.
func (c *Conn) markClosed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return false
	}
	c.closed = true
	c.wbuf = nil
	return true
}

// Ready reports whether the Socket.IO connect completed. Worker goroutine
// only (inside Handler callbacks).
func (c *Conn) Ready() bool { return c.state == stReady }

// Abort drops the connection the way a vanished client does: no Socket.IO
// or WebSocket goodbye, a TCP reset (SO_LINGER 0) and no FIN before it. It
// shuts down the read side, which sends nothing but wakes the worker with an
// end of input; the worker closes the socket (the reset) and runs OnClose.
// Any goroutine.
func (c *Conn) Abort() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return
	}
	_ = unix.SetsockoptLinger(c.fd, unix.SOL_SOCKET, unix.SO_LINGER, &unix.Linger{Onoff: 1, Linger: 0})
	_ = unix.Shutdown(c.fd, unix.SHUT_RD)
}
