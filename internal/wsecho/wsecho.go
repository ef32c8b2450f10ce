package wsecho

import (
	"github.com/gobwas/ws"

	"github.com/sio-fast/sio-fast/httpx"
	"github.com/sio-fast/sio-fast/internal/wsframe"
	"github.com/sio-fast/sio-fast/loop"
)

// Handler echoes every WebSocket message back with its opcode, answers
// pings, and completes the close handshake echoing the peer's status code.
// Requests that are not valid upgrades get the httpx error answer.
type Handler struct {
	// MaxMessage bounds a message (default wsframe.DefaultMaxMessage); a
	// bigger one closes the connection with 1009.
	MaxMessage int64
}

// conn is the per-connection state: the HTTP parser until the 101, the
// frame reader after it. Idle, it holds no buffer.
type conn struct {
	parser *httpx.Parser
	reader wsframe.Reader
}

// OnOpen implements loop.Handler.
func (h *Handler) OnOpen(c *loop.Conn) {
	c.SetContext(&conn{parser: httpx.AcquireParser(httpx.Limits{})})
}

// OnData implements loop.Handler.
func (h *Handler) OnData(c *loop.Conn, in []byte) int {
	st := c.Context().(*conn)
	n := 0
	if st.parser != nil {
		n = h.upgrade(c, st, in)
		if st.parser != nil || c.Closed() {
			return n
		}
	}
	return n + h.frames(c, st, in[n:])
}

// OnClose implements loop.Handler.
func (h *Handler) OnClose(c *loop.Conn, err error) {
	if st, ok := c.Context().(*conn); ok {
		st.reader.Release()
		if st.parser != nil {
			httpx.ReleaseParser(st.parser)
			st.parser = nil
		}
	}
}

func (h *Handler) upgrade(c *loop.Conn, st *conn, in []byte) int {
	n, err := st.parser.Parse(in)
	if err != nil {
		e, _ := err.(*httpx.Error)
		_ = c.Write(httpx.AppendErrorResponse(nil, e, false))
		c.CloseAfterFlush(err)
		return len(in)
	}
	if n == 0 {
		return 0
	}
	key, herr := httpx.CheckUpgrade(st.parser.Request())
	if herr != nil {
		_ = c.Write(httpx.AppendErrorResponse(nil, herr, false))
		c.CloseAfterFlush(herr)
		return len(in)
	}
	b := c.Loop().Scratch(256)
	_ = c.Write(httpx.AppendSwitchingProtocols(b[:0], key))
	httpx.ReleaseParser(st.parser) // idle WebSockets hold no HTTP state
	st.parser = nil
	st.reader.Limits.MaxMessage = h.MaxMessage
	return n
}

func (h *Handler) frames(c *loop.Conn, st *conn, in []byte) int {
	total := 0
	for total < len(in) && !c.Closed() {
		m, n, err := st.reader.Next(in[total:])
		if err != nil {
			_ = c.Write(wsframe.AppendClose(nil, wsframe.CloseCode(err), ""))
			c.CloseAfterFlush(err)
			return len(in)
		}
		if n == 0 {
			break
		}
		total += n
		h.message(c, m)
	}
	return total
}

func (h *Handler) message(c *loop.Conn, m wsframe.Message) {
	var op ws.OpCode
	switch m.Kind {
	case wsframe.KindText:
		op = ws.OpText
	case wsframe.KindBinary:
		op = ws.OpBinary
	case wsframe.KindPing:
		op = ws.OpPong
	case wsframe.KindClose:
		code := m.CloseCode
		if code == ws.StatusNoStatusRcvd {
			code = 0
		}
		_ = c.Write(wsframe.AppendClose(nil, code, string(m.CloseReason)))
		c.CloseAfterFlush(nil)
		return
	default:
		return
	}
	// The payload lives in the read buffer: copy it into loop scratch, which
	// stays valid until the write is flushed at the end of this turn.
	frame := c.Loop().Scratch(wsframe.HeaderLen(len(m.Payload)) + len(m.Payload))
	_ = c.Write(wsframe.AppendFrame(frame[:0], op, m.Payload))
}
