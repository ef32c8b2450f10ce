package loop

import (
	"io"
	"log/slog"

	"github.com/panjf2000/gnet/v2"
	"github.com/sio-fast/sio-fast/internal/debuglog"
)

// engineHandler adapts gnet's callbacks to Handler. Every method runs on
// the gnet loop that owns the connection.
type engineHandler struct {
	gnet.BuiltinEventEngine
	s *Server
}

func (h *engineHandler) OnOpen(gc gnet.Conn) ([]byte, gnet.Action) {
	var first []byte
	switch v := gc.Context().(type) {
	case *anchor:
		h.s.loopFor(gc.EventLoop())
		close(v.opened)
		return nil, gnet.None
	case *adopted:
		gc.SetContext(v.c)
		first = v.first
	}
	c, ok := gc.Context().(*Conn)
	if !ok {
		return nil, gnet.Close
	}
	// gnet keeps the enrolment context in SafeContext too (for an adopted
	// connection, its first bytes: the upgrade request) and the addresses
	// it was enrolled with, which nothing here reads but TLS's local
	// address (gnetstate.go).
	dropDeadState(gc, c.has(connHandshaking))
	l := h.s.loopFor(gc.EventLoop())
	c.t, c.loop = gc, l
	if c.has(connHandshaking) {
		// TLS: the handler's OnOpen comes once the handshake has finished.
		l.conns.add(c)
		l.enter()
		defer l.leave()
		startTLS(c, gc)
		return nil, gnet.None
	}
	l.open(c, first)
	return nil, gnet.None
}

func (h *engineHandler) OnTraffic(gc gnet.Conn) gnet.Action {
	c, ok := gc.Context().(*Conn)
	if !ok || c.has(connClosed) {
		return gnet.Close
	}
	in, _ := gc.Peek(-1)
	if c.has(connClosing) {
		// Closing: the peer's further bytes have no one to read them.
		_, _ = gc.Discard(len(in))
		return gnet.None
	}
	l := c.loop
	l.enter()
	defer l.leave()
	if t, ok := c.t.(*tlsTransport); ok {
		if n := t.traffic(in); n > 0 && !c.has(connClosed) {
			_, _ = gc.Discard(n)
		}
		return gnet.None
	}
	if c.has(connCarry) {
		// Bytes read before the socket was adopted are still unconsumed:
		// they come first, and the new ones join them.
		l.feed(c, in)
		if !c.has(connClosed) {
			_, _ = gc.Discard(len(in))
		}
		return gnet.None
	}
	n := 0
	l.safely(c, func() { n = h.s.handler.OnData(c, in) })
	l.stats.reads.Add(1)
	if n > 0 {
		l.stats.bytesIn.Add(uint64(min(n, len(in))))
		if !c.has(connClosed) {
			_, _ = gc.Discard(min(n, len(in)))
		}
	}
	return gnet.None
}

func (h *engineHandler) OnClose(gc gnet.Conn, err error) gnet.Action {
	if c, ok := gc.Context().(*Conn); ok {
		c.loop.closed(c, err)
	}
	return gnet.None
}

// closed runs OnClose for c, once, whatever carried it (gnet, a pipe, a
// stream). err is the transport's reason; the one the handler gave when it
// closed c takes precedence. Loop goroutine only.
func (l *Loop) closed(c *Conn, err error) {
	if c.has(connClosed) {
		return
	}
	c.flags |= connClosed
	c.dropPending()
	l.dropCarry(c)
	if ce := c.closeErr(); ce != nil {
		err = ce
	} else if err == nil {
		err = ErrShutdown // gnet reports nil for connections closed by its stop
	}
	if err == io.ErrUnexpectedEOF {
		err = io.EOF
	}
	l.conns.remove(c)
	l.srv.active.Add(-1)
	if debuglog.On(debuglog.Loop) {
		debuglog.Log(debuglog.Loop, "close", slog.String("remote", c.RemoteAddr().String()), slog.Any("err", err))
	}
	if c.has(connHandshaking) {
		c.t.(*tlsTransport).closed() // the handler never saw it
		return
	}
	l.enter()
	defer l.leave()
	l.safely(nil, func() { l.srv.handler.OnClose(c, err) })
}
