package loop

import (
	"errors"
	"log/slog"
	"net"
	"net/netip"

	"github.com/sio-fast/sio-fast/internal/debuglog"
)

// ErrNoLoop is returned by Adopt and OpenPipe on a server started by Serve
// that has no loop yet (Start's servers have all of theirs from the start).
var ErrNoLoop = errors.New("loop: no event loop yet")

// ErrTooManyConns is returned by Adopt and OpenPipe when the connection cap
// (WithMaxConns) is reached.
var ErrTooManyConns = errors.New("loop: connection cap reached")

// adopted is the gnet context of a socket enrolled by Adopt until OnOpen
// replaces it with the Conn: the bytes read before adoption travel with it,
// so that a Conn does not grow a field only adopted sockets use.
type adopted struct {
	c     *Conn
	first []byte
}

// Adopt moves nc, a connection accepted by another server (one hijacked
// from net/http, say), onto the reactor: from then on its handler callbacks
// run on a loop as for a connection Serve accepted. first holds bytes
// already read from nc (those an http.Hijacker's bufio.Reader buffered):
// the handler receives them before anything read later, in the call that
// follows OnOpen. Adopt keeps first; the caller must not change it.
//
// A *net.TCPConn or *net.UnixConn is enrolled: its descriptor is
// duplicated into the loop's poller and nc is closed, so it costs what an
// accepted connection costs. Any other net.Conn (a *tls.Conn, a wrapper) has
// no descriptor the loop could read, and is carried by two goroutines
// instead (see stream.go). On error nc is closed.
//
// Adopt returns once the connection is registered. It must not be called
// from a loop goroutine; safe from any other.
func (s *Server) Adopt(nc net.Conn, first []byte) error {
	if err := s.reserve(); err != nil {
		_ = nc.Close()
		return err
	}
	c := &Conn{id: s.nextID.Add(1)}
	c.setRemote(remoteOf(nc.RemoteAddr()))
	switch nc.(type) {
	case *net.TCPConn, *net.UnixConn:
		if _, err := s.client.EnrollContext(nc, &adopted{c: c, first: first}); err != nil {
			s.active.Add(-1)
			_ = nc.Close()
			return err
		}
		return nil
	}
	l := s.pickLoop()
	if l == nil {
		s.active.Add(-1)
		_ = nc.Close()
		return ErrNoLoop
	}
	startStream(l, c, nc, first)
	return nil
}

// reserve counts a connection being added by Adopt or OpenPipe, or refuses
// it when the server is closing or full.
func (s *Server) reserve() error {
	if s.closing.Load() {
		return ErrServerClosed
	}
	if s.active.Add(1) > int64(s.opts.maxConns) {
		s.active.Add(-1)
		s.refused.Add(1)
		return ErrTooManyConns
	}
	return nil
}

func remoteOf(a net.Addr) netip.AddrPort {
	if ta, ok := a.(*net.TCPAddr); ok {
		ap := ta.AddrPort()
		return netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
	}
	return netip.AddrPort{}
}

// open registers c on l (c.loop is l already) and runs OnOpen, then hands
// the handler first, if any. Loop goroutine only.
func (l *Loop) open(c *Conn, first []byte) {
	l.conns.add(c)
	if debuglog.On(debuglog.Loop) {
		debuglog.Log(debuglog.Loop, "open", slog.String("remote", c.RemoteAddr().String()))
	}
	l.enter()
	defer l.leave()
	l.safely(c, func() { l.srv.handler.OnOpen(c) })
	if len(first) > 0 {
		l.feed(c, first)
	}
	if l.srv.closing.Load() {
		// Arrived while Shutdown was saying goodbye to the others.
		l.shutdownConn(c)
	}
}

// feed hands in to the handler after the bytes it left unconsumed before,
// and keeps what it leaves now. It is OnData for connections whose unread
// bytes no gnet buffer holds. in is the caller's; it is copied when kept.
// Loop goroutine only, inside a turn.
func (l *Loop) feed(c *Conn, in []byte) {
	if c.has(connClosed | connClosing) {
		return // closing: the peer's further bytes have no one to read them
	}
	if c.has(connCarry) {
		in = append(l.carry[c], in...)
	}
	n := 0
	l.safely(c, func() { n = l.srv.handler.OnData(c, in) })
	rest := in[min(n, len(in)):]
	if c.has(connClosed) || len(rest) == 0 {
		l.dropCarry(c)
		return
	}
	if c.has(connCarry) {
		// rest is the tail of the carry itself: move it to the front.
		l.carry[c] = in[:copy(in, rest)]
		return
	}
	if l.carry == nil {
		l.carry = make(map[*Conn][]byte)
	}
	l.carry[c] = append([]byte(nil), rest...)
	c.flags |= connCarry
}

// dropCarry forgets c's carried bytes. Loop goroutine only.
func (l *Loop) dropCarry(c *Conn) {
	if c.has(connCarry) {
		delete(l.carry, c)
		c.flags &^= connCarry
	}
}
