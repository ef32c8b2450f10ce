package engineio

import (
	"bytes"
	"time"
	"unsafe"

	"github.com/sio-fast/sio-fast/engineio/packet"
	"github.com/sio-fast/sio-fast/httpx"
	"github.com/sio-fast/sio-fast/internal/wsframe"
	"github.com/sio-fast/sio-fast/loop"
)

// requestTimeout bounds how long an HTTP request may take to arrive (408
// after it): from the first byte of a request on a kept-alive connection,
// and from the connection's opening for its first request, so that a
// client that connects and sends nothing does not hold a descriptor for
// ever (Node's headersTimeout does the same, with 60 s).
const requestTimeout = 10 * time.Second

// connState is the state of a connection speaking HTTP. It lives on the
// connection's loop; sessions it serves may live on other loops. Once the
// connection becomes a WebSocket its context is the wsState alone and the
// connState is dropped: an idle WebSocket keeps about 130 bytes less.
type connState struct {
	srv *Server
	c   *loop.Conn
	// parser is pooled: taken when bytes arrive, given back once no request
	// is half-read (a connection resting between requests, or parked on a
	// polling GET, holds none: 10,000 long-polls would pin about 600 bytes
	// each) and once the connection is a WebSocket.
	parser *httpx.Parser
	ws     *wsState // set by the WebSocket handshake: HTTP is over
	// parked is the session whose polling GET last waited on this
	// connection; it is told when the connection closes.
	parked *Socket
	// reqTime is the request deadline (408), or, with idle set, the
	// keep-alive deadline between requests (see keepalive.go).
	reqTime loop.Timer
	idle    bool
	waiting bool // a polling GET read here waits for its answer
	// getBusy and postBusy: get and post are lent to a request that has
	// not been answered yet (see takeGet, takePost); a request read
	// meanwhile (a client pipelining) gets memory of its own.
	getBusy, postBusy bool
	// get is the polling GET read here, reused by the next one: a
	// connection carries one long-poll at a time, so a polled delivery
	// allocates none.
	get pollGet
	// post is the same for POSTs, with its packet and byte buffers; taken
	// on the first POST only, as most connections carry none.
	post *pollPost
}

// wsState is a connection after its WebSocket handshake (its context). One
// per idle WebSocket, so 32 bytes: the server and protocol come from sock.
type wsState struct {
	reader wsframe.Reader // reader.Deflate: permessage-deflate negotiated
	sock   *Socket        // never nil
}

func (cs *connState) onHTTPData(c *loop.Conn, in []byte) int {
	cs.c = c
	cs.stopIdle()
	if cs.parser == nil {
		cs.parser = httpx.AcquireParser(cs.srv.limits)
	}
	total := 0
	for cs.ws == nil && !c.Closed() && total < len(in) {
		n, err := cs.parser.Parse(in[total:])
		if err != nil {
			cs.reqTime.Stop()
			cs.failHTTP(c, err)
			return len(in)
		}
		if n == 0 {
			if cs.parser.InProgress() && !cs.reqTime.Armed() {
				c.Loop().Arm(&cs.reqTime, cs.srv.requestTimeout)
			}
			break
		}
		cs.reqTime.Stop()
		cs.handle(c, cs.parser.Request())
		total += n
	}
	if w := cs.ws; w != nil {
		// A WebSocket never speaks HTTP again: the parser goes back to its
		// pool and the connection's context becomes w alone.
		cs.releaseParser()
		cs.reqTime.Stop()
		c.SetContext(w)
		if total < len(in) && !c.Closed() {
			total += w.onData(c, in[total:])
		}
		return total
	}
	if cs.parser != nil && !cs.parser.InProgress() {
		// Nothing half-read: bytes left unconsumed (if any) are parsed
		// afresh by the next parser, which needs no state from this one.
		cs.releaseParser()
	}
	cs.armIdle(c)
	return total
}

// fireReqTime is the request timer's callback: onTimer of the connState
// that embeds it, without a method value's allocation per connection.
func fireReqTime(t *loop.Timer) {
	(*connState)(unsafe.Add(unsafe.Pointer(t), -int(unsafe.Offsetof(connState{}.reqTime)))).onTimer()
}

// onTimer is the request deadline (408 and close) or the keep-alive one
// (a quiet close).
func (cs *connState) onTimer() {
	c := cs.c
	if c == nil || c.Closed() {
		return
	}
	if cs.idle {
		cs.idle = false
		c.CloseAfterFlush(nil)
		return
	}
	cs.failHTTP(c, httpx.ErrRequestTimeout)
}

// failHTTP answers a request that could not be parsed and closes: the rest
// of the stream cannot be trusted.
func (cs *connState) failHTTP(c *loop.Conn, err error) {
	e, ok := err.(*httpx.Error)
	if !ok {
		e = httpx.ErrBadRequest
	}
	_ = c.Write(httpx.AppendErrorResponse(nil, e, false))
	c.CloseAfterFlush(err)
}

// write sends a response built on this connection's loop.
func (cs *connState) write(c *loop.Conn, b []byte, keepAlive bool) {
	_ = c.Write(b)
	if !keepAlive {
		c.CloseAfterFlush(nil)
	}
}

func (cs *connState) releaseParser() {
	if cs.parser != nil {
		httpx.ReleaseParser(cs.parser)
		cs.parser = nil
	}
}

func (cs *connState) onClose(c *loop.Conn, err error) {
	cs.reqTime.Stop()
	cs.releaseParser()
	if cs.ws != nil { // closed during the handshake's turn
		cs.ws.onClose(c)
	}
	if s := cs.parked; s != nil {
		notifyClosed(s, c)
	}
}

func (w *wsState) onClose(c *loop.Conn) {
	w.reader.Release()
	notifyClosed(w.sock, c)
}

func notifyClosed(s *Socket, c *loop.Conn) {
	if s.home.Here(c.Loop()) {
		s.onTransportClosed(c)
		return
	}
	s.home.Execute(func() { s.onTransportClosed(c) })
}

// onData decodes WebSocket frames and hands packets to the session,
// directly when the session lives on this loop, else through its loop.
func (w *wsState) onData(c *loop.Conn, in []byte) int {
	total := 0
	for total < len(in) && !c.Closed() {
		m, n, err := w.reader.Next(in[total:])
		if err != nil {
			w.failWS(c, err)
			return len(in)
		}
		if n == 0 {
			break
		}
		total += n
		if m.Compressed {
			if !w.onCompressedWSMessage(c, m) {
				return len(in)
			}
			continue
		}
		w.onMessage(c, m)
	}
	return total
}

func (w *wsState) onMessage(c *loop.Conn, m wsframe.Message) {
	var p packet.Packet
	var err error
	switch m.Kind {
	case wsframe.KindText:
		p, err = packet.DecodeText(m.Payload)
	case wsframe.KindBinary:
		p, err = packet.DecodeBinary(m.Payload, w.sock.proto == 3)
	case wsframe.KindPing:
		_ = c.Write(wsframe.AppendPong(nil, m.Payload))
		return
	case wsframe.KindClose:
		code := m.CloseCode
		if code == 1005 {
			code = 0
		}
		_ = c.Write(wsframe.AppendClose(nil, code, ""))
		c.CloseAfterFlush(nil)
		return
	default:
		return
	}
	if err != nil {
		w.toSession(c, func(s *Socket) { s.failTransport(c, ReasonParseError, err.Error()) })
		_ = c.Write(wsframe.AppendClose(nil, 1002, ""))
		c.CloseAfterFlush(nil)
		return
	}
	s := w.sock
	if s.home.Here(c.Loop()) {
		s.onWSPacket(c, p)
		return
	}
	p = p.Clone()
	s.home.Execute(func() { s.onWSPacket(c, p) })
}

func (w *wsState) toSession(c *loop.Conn, fn func(*Socket)) {
	s := w.sock
	if s.home.Here(c.Loop()) {
		fn(s)
		return
	}
	s.home.Execute(func() { fn(s) })
}

// failWS closes a WebSocket after a framing error with the close code the
// error carries (1009 for a message over maxPayload).
func (w *wsState) failWS(c *loop.Conn, err error) {
	code := wsframe.CloseCode(err)
	_ = c.Write(wsframe.AppendClose(nil, code, ""))
	desc := err.Error()
	if code == 1009 {
		desc = "Max payload size exceeded"
	}
	w.toSession(c, func(s *Socket) { s.failTransport(c, ReasonTransportError, desc) })
	c.CloseAfterFlush(err)
}

// failTransport ends the session if c is its active transport; a failing
// probe only aborts the upgrade. Home loop only.
func (s *Socket) failTransport(c *loop.Conn, reason, desc string) {
	switch {
	case s.closed:
	case c == s.ws:
		s.ws = nil
		s.finish(reason, desc)
	case s.isProbe(c):
		s.abortProbe()
	}
}

// pathMatches reports whether the request is for the engine (prefix match,
// as Node).
func (cs *connState) pathMatches(r *httpx.Request) bool {
	return bytes.HasPrefix(r.Path, []byte(cs.srv.cfg.Path))
}
