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
	c, ok := gc.Context().(*Conn)
	if !ok {
		return nil, gnet.Close
	}
	l := h.s.loopFor(gc.EventLoop())
	c.t = gc
	c.loop = l
	l.conns.add(c)
	if debuglog.On(debuglog.Loop) {
		debuglog.Log(debuglog.Loop, "open", slog.String("remote", c.RemoteAddr().String()))
	}
	l.enter()
	defer l.leave()
	l.safely(c, func() { h.s.handler.OnOpen(c) })
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
	n := 0
	l.safely(c, func() { n = h.s.handler.OnData(c, in) })
	if n > 0 && !c.has(connClosed) {
		_, _ = gc.Discard(min(n, len(in)))
	}
	return gnet.None
}

func (h *engineHandler) OnClose(gc gnet.Conn, err error) gnet.Action {
	c, ok := gc.Context().(*Conn)
	if !ok || c.has(connClosed) {
		return gnet.None
	}
	c.flags |= connClosed
	c.dropPending()
	if ce := c.closeErr(); ce != nil {
		err = ce
	} else if err == nil {
		err = ErrShutdown // gnet reports nil for connections closed by its stop
	}
	if err == io.ErrUnexpectedEOF {
		err = io.EOF
	}
	l := c.loop
	l.conns.remove(c)
	h.s.active.Add(-1)
	if debuglog.On(debuglog.Loop) {
		debuglog.Log(debuglog.Loop, "close", slog.String("remote", c.RemoteAddr().String()), slog.Any("err", err))
	}
	l.enter()
	defer l.leave()
	l.safely(nil, func() { h.s.handler.OnClose(c, err) })
	return gnet.None
}
