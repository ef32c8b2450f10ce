package engineio

import (
	"time"

	"github.com/sio-fast/sio-fast/httpx"
	"github.com/sio-fast/sio-fast/loop"
)

// keepAliveTimeout closes a kept-alive HTTP connection that carried no
// request for that long and has no polling GET waiting on it: Node's
// keepAliveTimeout. Without it every client that upgraded from polling
// would keep a second, idle connection (and descriptor) for as long as its
// browser's connection pool does. Responses announce it with
// "Keep-Alive: timeout=5", as Node's do, so that HTTP agents which honour
// the header (Node's own, for socket.io-client in Node) stop reusing a
// connection before the server closes it, instead of sending a POST on a
// connection being closed.
const keepAliveTimeout = 5 * time.Second

const keepAliveHeader = "Keep-Alive: timeout=5\r\n"

// appendResponseHead is httpx.AppendResponseHead with the Keep-Alive
// header on kept-alive responses.
func appendResponseHead(dst []byte, status int, contentType string, contentLength int64, keepAlive bool) []byte {
	dst = httpx.AppendResponseHead(dst, status, contentType, contentLength, keepAlive)
	if keepAlive {
		dst = append(dst, keepAliveHeader...)
	}
	return dst
}

// appendResponse is httpx.AppendResponse with the Keep-Alive header on
// kept-alive responses.
func appendResponse(dst []byte, status int, contentType string, body []byte, keepAlive bool) []byte {
	dst = appendResponseHead(dst, status, contentType, int64(len(body)), keepAlive)
	dst = httpx.AppendEndHeaders(dst)
	return append(dst, body...)
}

// armIdle starts the keep-alive deadline when the connection rests between
// requests: open, speaking HTTP, no request arriving and no GET waiting on
// it. Connection's loop.
func (cs *connState) armIdle(c *loop.Conn) {
	if c.Closed() || cs.ws != nil || cs.waiting || (cs.parser != nil && cs.parser.InProgress()) || cs.reqTime.Armed() {
		return
	}
	cs.idle = true
	c.Loop().Arm(&cs.reqTime, cs.srv.keepAliveTimeout)
}

// stopIdle cancels the keep-alive deadline: bytes arrived. Connection's
// loop.
func (cs *connState) stopIdle() {
	if cs.idle {
		cs.idle = false
		cs.reqTime.Stop()
	}
}

// answerPollGet writes the answer to the polling GET g on g's connection, from
// loop `from`: at once when that is the connection's loop, else through
// it. The connection then rests until its next request (see armIdle).
func answerPollGet(from *loop.Loop, g *pollGet, resp []byte) {
	if g.c.Loop() == from {
		deliverPollAnswer(g, resp)
		return
	}
	g.c.Loop().Execute(func() { deliverPollAnswer(g, resp) })
}

// deliverPollAnswer runs on the GET's connection loop.
func deliverPollAnswer(g *pollGet, resp []byte) {
	c := g.c
	keepAlive := g.keepAlive
	cs, _ := c.Context().(*connState)
	if cs != nil {
		cs.answered(g) // g may be reused from here on
	}
	if c.Closed() {
		return
	}
	_ = c.Write(resp)
	if !keepAlive {
		c.CloseAfterFlush(nil)
		return
	}
	if cs != nil {
		cs.waiting = false
		cs.armIdle(c)
	}
}
