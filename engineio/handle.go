package engineio

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"

	"github.com/sio-fast/sio-fast/engineio/packet"
	"github.com/sio-fast/sio-fast/httpx"
	"github.com/sio-fast/sio-fast/internal/debuglog"
	"github.com/sio-fast/sio-fast/loop"
)

// handle routes one complete HTTP request. It runs on the connection's
// loop; r and its body are valid only during the call.
func (cs *connState) handle(c *loop.Conn, r *httpx.Request) {
	// A new request means the previous polling GET was answered (clients do
	// not pipeline behind a parked GET): forget its session, so a keep-alive
	// connection does not keep a closed session alive. It is still the
	// likely session of this request (see session).
	last := cs.parked
	cs.parked, cs.waiting = nil, false
	if debuglog.On(debuglog.HTTP) {
		debuglog.Log(debuglog.HTTP, "request", slog.String("method", string(r.Method)), slog.String("target", string(r.Target)),
			slog.String("remote", c.RemoteAddr().String()))
	}
	if !cs.pathMatches(r) {
		cs.fallback(c, r)
		return
	}
	var q [len(routingParams)][]byte
	r.QueryValues(routingParams[:], q[:])
	if cs.intercepted(c, r, q[0]) {
		return
	}
	// On the stack: nothing keeps v past handle (hooks get v.request()).
	v := &reqView{r: r, remote: c.RemoteAddr(), eio: q[0], transport: q[1], sid: q[2], b64: q[3] != nil}
	if string(r.Method) == "OPTIONS" && cs.srv.cfg.CORS != nil {
		cs.write(c, cs.srv.cfg.CORS.preflight(string(r.Header("Origin")), string(r.Header("Access-Control-Request-Headers")), r.KeepAlive), r.KeepAlive)
		return
	}
	cfg := &cs.srv.cfg
	// string(v.transport) is converted for the error alone: kept in a
	// variable it would escape with the error and cost an allocation on
	// every request.
	t := v.transport
	if (string(t) != transportPolling && string(t) != transportWebSocket) || !cfg.transportEnabled(string(t)) {
		cs.refuse(c, v, newConnError(CodeUnknownTransport, "", "transport", string(t)))
		return
	}
	if v.sid != nil {
		cs.handleSession(c, v, last)
		return
	}
	cs.handleHandshake(c, v)
}

// refuse answers a refused request: JSON for polling, a raw 400 and a close
// for WebSocket upgrades. The engine reports it as a connection error.
func (cs *connState) refuse(c *loop.Conn, v *reqView, e *ConnError) {
	cs.srv.reportError(e, v)
	if httpx.IsUpgrade(v.r) {
		cs.write(c, upgradeErrorResponse(e), false)
		return
	}
	cs.write(c, errorResponse(e, cs.commonHeaders(v), v.r.KeepAlive), v.r.KeepAlive)
}

// commonHeaders returns the extra header lines of every polling response:
// CORS and the Headers hook. They are owned bytes (they may be used later,
// on another loop).
func (cs *connState) commonHeaders(v *reqView) []byte {
	var h []byte
	if cors := cs.srv.cfg.CORS; cors != nil {
		h = cors.appendHeaders(h, string(v.r.Header("Origin")))
	}
	if hook := cs.srv.cfg.Headers; hook != nil {
		hh := http.Header{}
		hook(v.request(), hh)
		h = appendHeaderMap(h, hh)
	}
	return h
}

// routingParams are the query parameters handle reads, in one pass: EIO,
// transport, sid and b64, in this order.
var routingParams = [...]string{"EIO", "transport", "sid", "b64"}

// intercepted offers a request without EIO (eio is its value) to
// Config.Intercept.
func (cs *connState) intercepted(c *loop.Conn, r *httpx.Request, eio []byte) bool {
	ic := cs.srv.cfg.Intercept
	m := string(r.Method)
	if ic == nil || (m != "GET" && m != "HEAD") || eio != nil {
		return false
	}
	status, h, body, ok := ic(newRequest(r, c.RemoteAddr()))
	if !ok {
		return false
	}
	var cors []byte
	if cfg := cs.srv.cfg.CORS; cfg != nil {
		cors = cfg.appendHeaders(nil, string(r.Header("Origin")))
	}
	cs.writeSimple(c, r, status, h, cors, body)
	return true
}

// writeSimple writes a complete response: h, then the preformatted header
// lines extra, then body (left out for HEAD).
func (cs *connState) writeSimple(c *loop.Conn, r *httpx.Request, status int, h http.Header, extra, body []byte) {
	resp := appendResponseHead(nil, status, "", int64(len(body)), r.KeepAlive)
	resp = appendHeaderMap(resp, h)
	resp = append(resp, extra...)
	resp = httpx.AppendEndHeaders(resp)
	if string(r.Method) != "HEAD" {
		resp = append(resp, body...)
	}
	cs.write(c, resp, r.KeepAlive)
}

func (cs *connState) fallback(c *loop.Conn, r *httpx.Request) {
	fb := cs.srv.cfg.Fallback
	if fb == nil {
		cs.write(c, appendResponse(nil, 404, "text/plain; charset=utf-8", []byte("Not Found"), r.KeepAlive), r.KeepAlive)
		return
	}
	status, h, body := fb(newRequest(r, c.RemoteAddr()))
	cs.writeSimple(c, r, status, h, nil, body)
}

// handleSession serves a request for an existing session: a polling GET or
// POST, or a WebSocket upgrade. last is the session of the connection's
// previous long-poll, if any.
func (cs *connState) handleSession(c *loop.Conn, v *reqView, last *Socket) {
	s := cs.srv.session(v.sid, last)
	if s == nil {
		cs.refuse(c, v, newConnError(CodeUnknownSID, "", "sid", string(v.sid)))
		return
	}
	if string(v.transport) == transportWebSocket {
		if !httpx.IsUpgrade(v.r) {
			cs.refuse(c, v, newConnError(CodeBadRequest, "", "name", "TRANSPORT_MISMATCH"))
			return
		}
		cs.upgradeProbe(c, v, s)
		return
	}
	if s.Transport() != transportPolling {
		cs.refuse(c, v, newConnError(CodeBadRequest, "", "name", "TRANSPORT_MISMATCH"))
		return
	}
	switch string(v.r.Method) {
	case "GET":
		g := cs.takeGet()
		*g = pollGet{c: c, keepAlive: v.r.KeepAlive, headers: cs.commonHeaders(v), encoding: encodingCode(cs.acceptedEncoding(v))}
		cs.parked, cs.waiting = s, true
		s.receive(c.Loop(), sessionRequest{get: g})
	case "POST":
		cs.handlePost(c, v, s)
	default:
		cs.refuse(c, v, newConnError(CodeBadRequest, ""))
	}
}

// session returns the open session with id sid, or nil. A long-polling
// client sends its next GET on the connection of the previous one, so
// last, that GET's session, is taken when it has id sid and is not closed,
// without the registry's lookup (its table slots are memory a polled
// delivery need not touch). It is what the registry would return: ids are
// never reused, and a session leaves the registry only after its state
// reads closed (finish). Any loop.
func (srv *Server) session(sid []byte, last *Socket) *Socket {
	if last != nil && last.id == string(sid) && last.state.Load()&stateReady != stateClosed {
		return last
	}
	return srv.sessions.get(sid)
}

// handlePost decodes a polling POST here, then hands the packets to the
// session's loop in one task, which answers "ok" (or 400 when the session
// is over by then).
func (cs *connState) handlePost(c *loop.Conn, v *reqView, s *Socket) {
	if !s.tryPost() {
		cs.failPost(c, v, s, ReasonTransportError, "overlap from client")
		return
	}
	defer s.endPost()
	ctype := v.r.Header("Content-Type")
	binaryBody := bytes.HasPrefix(ctype, []byte("application/octet-stream"))
	if binaryBody && s.proto == 4 {
		cs.failPost(c, v, s, ReasonTransportError, "invalid content")
		return
	}
	post := cs.takePost()
	if err := cs.decodePost(post, v.r.Body, int(s.proto), binaryBody); err != nil {
		cs.givePost(post)
		cs.failPost(c, v, s, ReasonParseError, err.Error())
		return
	}
	cs.sendPost(c, v, s, post)
}

// failPost hands a refused POST to the session like any other, so that it
// takes effect in its turn and after the heartbeat deadline check
// (onPollPost): the session closes with reason and desc.
func (cs *connState) failPost(c *loop.Conn, v *reqView, s *Socket, reason, desc string) {
	cs.srv.reportError(newConnError(CodeBadRequest, ""), v)
	cs.sendPost(c, v, s, &pollPost{failReason: reason, failDesc: desc})
}

// sendPost hands post to the session's home loop, which answers it.
func (cs *connState) sendPost(c *loop.Conn, v *reqView, s *Socket, post *pollPost) {
	cs.waiting = true // until the home loop answers (deliverPollAnswer)
	post.reply = pollGet{c: c, keepAlive: v.r.KeepAlive, headers: cs.commonHeaders(v)}
	s.receive(c.Loop(), sessionRequest{post: post})
}

// decodePost decodes a POST body into post's packets, their bytes copied
// into post.data (the body lives in the connection's read buffer only for
// this call; post's buffers are reused from its previous POST).
func (cs *connState) decodePost(post *pollPost, body []byte, proto int, binaryBody bool) error {
	format := packet.PayloadV4
	switch {
	case proto == 4:
	case binaryBody:
		format = packet.PayloadV3Binary
	default:
		format = packet.PayloadV3
	}
	d := packet.PayloadDecoder{Scratch: post.scratch}
	d.Reset(body, format)
	pkts, data := post.pkts[:0], post.data[:0]
	defer func() { post.scratch = d.Scratch[:0] }()
	for {
		p, err := d.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		data = append(data, p.Data...)
		pkts = append(pkts, p)
	}
	// data may have moved while growing: slice every packet from the final block.
	off := 0
	for i := range pkts {
		n := len(pkts[i].Data)
		pkts[i].Data = data[off : off+n : off+n]
		off += n
	}
	post.pkts, post.data = pkts, data
	return nil
}

// takeGet returns the connection's own pollGet, or a new one while that is
// lent to a GET not answered yet. Connection's loop.
func (cs *connState) takeGet() *pollGet {
	if cs.getBusy {
		return new(pollGet)
	}
	cs.getBusy = true
	return &cs.get
}

// takePost is takeGet for POSTs.
func (cs *connState) takePost() *pollPost {
	if cs.postBusy {
		return new(pollPost)
	}
	if cs.post == nil {
		cs.post = new(pollPost)
	}
	cs.postBusy = true
	return cs.post
}

// givePost takes back post after it was answered (or refused).
func (cs *connState) givePost(post *pollPost) {
	if post == cs.post {
		clear(post.pkts) // no reference to a session's data outlives it
		post.reply = pollGet{}
		cs.postBusy = false
	}
}

// answered takes back the memory lent to the request g answered.
// Connection's loop.
func (cs *connState) answered(g *pollGet) {
	switch {
	case g == &cs.get:
		cs.get = pollGet{}
		cs.getBusy = false
	case cs.post != nil && g == &cs.post.reply:
		cs.givePost(cs.post)
	}
}

func (s *Socket) closeFromAnyLoop(from *loop.Loop, reason, desc string) {
	if s.home.Here(from) {
		s.closeWith(reason, desc)
		return
	}
	s.home.Execute(func() { s.closeWith(reason, desc) })
}
