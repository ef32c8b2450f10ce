package engineio

import (
	"net/http"

	"github.com/sio-fast/sio-fast/engineio/packet"
	"github.com/sio-fast/sio-fast/httpx"
	"github.com/sio-fast/sio-fast/internal/bufpool"
	"github.com/sio-fast/sio-fast/internal/wsframe"
	"github.com/sio-fast/sio-fast/loop"
)

// handleHandshake opens a session: polling (open packet as the GET body) or
// a direct WebSocket (open packet as the first frame). The session's home is
// this connection's loop.
func (cs *connState) handleHandshake(c *loop.Conn, v *reqView) {
	cfg := &cs.srv.cfg
	isWS := string(v.transport) == transportWebSocket
	switch {
	case string(v.r.Method) != "GET":
		cs.refuse(c, v, newConnError(CodeBadHandshakeMethod, "", "method", string(v.r.Method)))
		return
	case isWS && !httpx.IsUpgrade(v.r):
		cs.refuse(c, v, newConnError(CodeBadRequest, "", "name", "TRANSPORT_HANDSHAKE_ERROR"))
		return
	}
	proto := 0
	switch string(v.eio) {
	case "4":
		proto = 4
	case "3":
		if cfg.AllowEIO3 {
			proto = 3
		}
	}
	if proto == 0 {
		cs.refuse(c, v, newConnError(CodeUnsupportedVersion, "", "protocol", string(v.eio)))
		return
	}
	if cfg.AllowRequest != nil {
		if err := cfg.AllowRequest(v.request()); err != nil {
			cs.refuse(c, v, newConnError(CodeForbidden, err.Error(), "message", err.Error()))
			return
		}
	}
	if cs.srv.closed.Load() {
		cs.refuse(c, v, newConnError(CodeBadRequest, "", "name", "SERVER_CLOSED"))
		return
	}
	var key []byte
	if isWS {
		var herr *httpx.Error
		if key, herr = httpx.CheckUpgrade(v.r); herr != nil {
			cs.write(c, httpx.AppendErrorResponse(nil, herr, false), false)
			return
		}
	}
	id, err := cs.srv.sessionID(v)
	if err != nil {
		cs.refuse(c, v, newConnError(CodeBadRequest, "", "name", "ID_GENERATION_ERROR"))
		return
	}
	s := newSocket(cs.srv, id, c.Loop(), proto, v.b64, v.request(), isWS)
	if !cs.srv.sessions.add(s) {
		cs.refuse(c, v, newConnError(CodeBadRequest, "", "name", "ID_GENERATION_ERROR"))
		return
	}
	if isWS {
		s.wsDeflate = cs.acceptWebSocket(c, v, key, s, true)
		s.ws = c
		open := bufpool.Get()
		open.B = s.openJSON(open.B)
		frame := bufpool.Get()
		frame.B = appendPacketFrame(frame.B, packet.Packet{Type: packet.Open, Data: open.B}, false)
		_ = c.Write(scratchCopy(c, frame.B))
		bufpool.Put(frame)
		bufpool.Put(open)
	} else {
		cs.answerPollingHandshake(c, v, s)
	}
	s.start()
}

func (s *Server) sessionID(v *reqView) (string, error) {
	if s.cfg.GenerateID != nil {
		return s.cfg.GenerateID(v.request())
	}
	return s.newID(), nil
}

// openJSON appends the handshake object.
func (s *Socket) openJSON(dst []byte) []byte {
	cfg := &s.srv.cfg
	h := packet.Handshake{
		SID:          s.id,
		PingInterval: cfg.PingInterval.Milliseconds(),
		PingTimeout:  cfg.PingTimeout.Milliseconds(),
		MaxPayload:   cfg.MaxHTTPBufferSize,
	}
	if s.Transport() == transportPolling && !cfg.DisallowUpgrades && cfg.transportEnabled(transportWebSocket) {
		h.Upgrades = []string{transportWebSocket}
	} else {
		h.Upgrades = []string{}
	}
	return packet.AppendHandshake(dst, h, s.proto == 3)
}

func (cs *connState) answerPollingHandshake(c *loop.Conn, v *reqView, s *Socket) {
	js, body, resp := bufpool.Get(), bufpool.Get(), bufpool.Get()
	defer func() { bufpool.Put(js); bufpool.Put(body); bufpool.Put(resp) }()
	js.B = s.openJSON(js.B)
	open := packet.Packet{Type: packet.Open, Data: js.B}
	if s.proto == 3 {
		body.B = packet.AppendPayloadV3(body.B, open)
	} else {
		body.B = packet.AppendPayloadPacket(body.B, open)
	}
	r := appendResponseHead(resp.B, 200, "text/plain; charset=UTF-8", int64(len(body.B)), v.r.KeepAlive)
	r = append(r, "Cache-Control: no-store\r\n"...)
	r = append(r, cs.handshakeHeaders(v, s)...)
	r = append(r, cs.commonHeaders(v)...)
	resp.B = append(httpx.AppendEndHeaders(r), body.B...)
	cs.write(c, scratchCopy(c, resp.B), v.r.KeepAlive)
}

// handshakeHeaders returns the cookie and the InitialHeaders hook's fields.
func (cs *connState) handshakeHeaders(v *reqView, s *Socket) []byte {
	var h []byte
	if ck := cs.srv.cfg.Cookie; ck != nil && s.Transport() == transportPolling {
		h = httpx.AppendHeader(h, "Set-Cookie", ck.format(s.id))
	}
	if hook := cs.srv.cfg.InitialHeaders; hook != nil {
		hh := http.Header{}
		hook(v.request(), hh)
		h = appendHeaderMap(h, hh)
	}
	return h
}

func (ck *Cookie) format(id string) string {
	c := http.Cookie{Name: "io", Value: id, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode}
	if ck.Name != "" {
		c.Name = ck.Name
	}
	if ck.Path != "" {
		c.Path = ck.Path
	}
	if ck.HTTPOnly != nil {
		c.HttpOnly = *ck.HTTPOnly
	}
	switch ck.SameSite {
	case "Strict", "strict":
		c.SameSite = http.SameSiteStrictMode
	case "None", "none":
		c.SameSite = http.SameSiteNoneMode
	}
	c.Domain, c.Secure = ck.Domain, ck.Secure
	if ck.MaxAge > 0 {
		c.MaxAge = int(ck.MaxAge.Seconds())
	}
	return c.String()
}

// acceptWebSocket writes the 101 and turns the connection into a WebSocket
// bound to s. It reports whether permessage-deflate was negotiated.
func (cs *connState) acceptWebSocket(c *loop.Conn, v *reqView, key []byte, s *Socket, handshake bool) (deflate bool) {
	buf := bufpool.Get()
	defer bufpool.Put(buf)
	resp := httpx.AppendSwitchingProtocolsHead(buf.B, key)
	if cs.srv.cfg.PerMessageDeflate != nil && negotiateDeflate(v.r) {
		deflate = true
		resp = httpx.AppendHeader(resp, "Sec-WebSocket-Extensions", deflateResponse)
	}
	if handshake {
		resp = append(resp, cs.handshakeHeaders(v, s)...)
	}
	if hook := cs.srv.cfg.Headers; hook != nil {
		hh := http.Header{}
		hook(v.request(), hh)
		resp = appendHeaderMap(resp, hh)
	}
	buf.B = httpx.AppendEndHeaders(resp)
	_ = c.Write(scratchCopy(c, buf.B))
	cs.ws = &wsState{sock: s}
	cs.ws.reader.Limits = wsframe.Limits{MaxMessage: cs.srv.cfg.MaxHTTPBufferSize}
	cs.ws.reader.Deflate = deflate
	return deflate
}

// scratchCopy copies b into the loop's scratch memory, which stays valid
// until the queued writes are flushed, so that b, built in a pooled buffer,
// can go back to the pool at once: a handshake then leaves no garbage
// behind.
func scratchCopy(c *loop.Conn, b []byte) []byte {
	out := c.Loop().Scratch(len(b))
	copy(out, b)
	return out
}

// upgradeProbe accepts a WebSocket for an existing polling session; the
// session decides on its loop whether the upgrade may proceed. Read on the
// home loop, a session whose heartbeat deadline has passed is closed first
// and the probe refused like an unknown sid, as Node (whose timer already
// fired) refuses it; read on another loop, the 101 is out before the home
// loop looks, and onProbeOpen closes the probe instead.
func (cs *connState) upgradeProbe(c *loop.Conn, v *reqView, s *Socket) {
	key, herr := httpx.CheckUpgrade(v.r)
	if herr != nil {
		cs.write(c, httpx.AppendErrorResponse(nil, herr, false), false)
		return
	}
	if s.home.Here(c.Loop()) && s.expired() {
		cs.refuse(c, v, newConnError(CodeUnknownSID, "", "sid", string(v.sid)))
		return
	}
	deflate := cs.acceptWebSocket(c, v, key, s, false)
	if s.home.Here(c.Loop()) {
		s.onProbeOpen(c, deflate)
	} else {
		s.home.Execute(func() { s.onProbeOpen(c, deflate) })
	}
}
