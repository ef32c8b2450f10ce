package socketio

import (
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/sio-fast/sio-fast/internal/debuglog"
	"github.com/sio-fast/sio-fast/internal/jsonx"
	"github.com/sio-fast/sio-fast/socketio/parser"
)

// conn is the Socket.IO side of one Engine.IO session (Node's Client): the
// decoder and the namespace sockets of that session. Every field is owned by
// the session's home loop, but loop may be read anywhere.
type conn struct {
	es EngineSocket // es.Home() is the home loop
	// dec is the decoder of a binary packet waiting for its attachments,
	// nil otherwise. Other messages borrow one of the server's decoders for
	// the call: an idle connection holds no decoder (136 bytes each).
	dec  *parser.Decoder
	nsps []*Socket // connected sockets, one per namespace (see socketFor)
	// loop is the server's state of the home loop (ls; its srv is the
	// server): set again on the new home loop when an upgrade moves the
	// session (OnUpgrade), read from any goroutine (countSent).
	loop    atomic.Pointer[loopState]
	v3      bool
	closing bool // input ignored (close requested)
	gone    bool // sockets disconnected, session over
}

// ls returns the state of c's home loop. Any goroutine (off the home loop,
// it may be the loop c just left).
func (c *conn) ls() *loopState { return c.loop.Load() }

// HandleEngineSocket attaches a new Engine.IO session to the server. The
// engine calls it on the session's home loop, before the session delivers
// any message. Engine.IO v3 sessions are connected to the main namespace at
// once (protocol v4 behaviour); v4 sessions must CONNECT within
// Config.ConnectTimeout or are closed.
func (srv *Server) HandleEngineSocket(es EngineSocket) {
	if srv.closed.Load() {
		es.Close()
		return
	}
	es = srv.observeEngine(es)
	c := &conn{es: es, v3: es.Protocol() == 3}
	c.loop.Store(srv.watch.forLoop(es.Home()))
	es.SetHandler(c)
	c.countHandshake()
	var deadline int64
	if srv.cfg.ConnectTimeout > 0 {
		deadline = time.Now().Add(srv.cfg.ConnectTimeout).UnixNano()
	}
	srv.trackUnjoined(c, deadline)
	if c.v3 {
		c.connect(parser.MainNamespace, nil)
	}
}

// OnMessage feeds one Engine.IO message to the decoder (engineio.Handler).
// Home loop.
func (c *conn) OnMessage(data []byte, binary bool) {
	if c.closing || c.gone {
		return
	}
	if c.ls().srv.codec != nil {
		c.onCodecMessage(data, binary)
		return
	}
	d := c.dec
	if d == nil {
		d = c.ls().srv.decoders.Get().(*parser.Decoder)
	}
	c.dec = nil
	var (
		p    *parser.Packet
		done bool
		err  error
	)
	if binary {
		p, done, err = d.DecodeBinary(data)
	} else {
		p, done, err = d.DecodeText(data)
	}
	switch {
	case err != nil:
		c.ls().srv.releaseDecoder(d)
		c.onError(err)
	case done:
		c.watchedPacket(p) // p lives in d: d goes back only after the packet is handled
		c.ls().srv.releaseDecoder(d)
	default:
		c.dec = d // a binary packet's header: keep d for its attachments
	}
}

// onPacket routes a decoded packet (Node's Client.ondecoded).
func (c *conn) onPacket(p *parser.Packet) {
	c.ls().counters.packetsIn.Add(1)
	name := p.Namespace
	auth := p.Data
	if c.v3 {
		var query string
		name, query = parser.SplitQuery(name)
		if p.Type == parser.Connect {
			auth = queryToJSON(query)
		}
	}
	s := c.socketFor(name)
	switch {
	case s == nil && p.Type == parser.Connect:
		c.connect(name, auth)
	case s != nil && p.Type != parser.Connect && p.Type != parser.ConnectError:
		s.onPacket(p)
	default: // duplicate CONNECT, packet for a namespace not joined
		c.forceClose()
	}
}

// forceClose is Node's Client.close for an invalid packet sequence: when
// the engine can close its transport at once, the sockets leave with the
// engine's "forced close"; otherwise they leave now with "forced server
// close" and the session closes when the client next polls.
func (c *conn) forceClose() {
	if c.es.CloseNow() {
		return
	}
	c.closeWith(ReasonForcedServerClose)
}

// onError handles a Socket.IO-level protocol error: the sockets get an
// error event, then the session is closed (they will see "forced close").
func (c *conn) onError(err error) {
	if debuglog.On(debuglog.Socket) {
		debuglog.Log(debuglog.Socket, "bad packet, closing", slog.String("sid", c.es.ID()), slog.Any("err", err))
	}
	for _, s := range c.nsps {
		s.run(func() { s.emitError(err) })
	}
	c.closing = true
	c.es.Close()
}

// OnClose is the engine's close callback (engineio.Handler). Home loop.
func (c *conn) OnClose(reason, _ string) {
	c.watchedCall(nil, "(disconnect)", func() { c.shutdown(DisconnectReason(reason)) })
}

// shutdown disconnects every socket with reason and forgets the session.
func (c *conn) shutdown(reason DisconnectReason) {
	if c.gone {
		return
	}
	c.gone, c.closing = true, true
	for _, s := range c.nsps {
		s.onClose(reason)
	}
	c.nsps = nil
	if c.dec != nil {
		c.ls().srv.releaseDecoder(c.dec)
		c.dec = nil
	}
	c.ls().srv.untrack(c)
}

// closeWith disconnects the sockets with reason and closes the session.
func (c *conn) closeWith(reason DisconnectReason) {
	c.shutdown(reason)
	c.es.Close()
}

// disconnectAll is Socket.Disconnect(true): every namespace gets DISCONNECT
// and "server namespace disconnect", then the session closes.
func (c *conn) disconnectAll() {
	for _, s := range c.nsps {
		s.serverDisconnect()
	}
	c.closeWith(ReasonForcedServerClose)
}

// socketFor returns the connection's socket in namespace name, or nil.
// A slice searched linearly rather than a map: nearly every connection joins
// one or two namespaces, and an empty map costs about 250 bytes per idle
// connection.
func (c *conn) socketFor(name string) *Socket {
	for _, s := range c.nsps {
		if s.nsp.name == name {
			return s
		}
	}
	return nil
}

// forget removes a closing socket from the namespace table. It builds a new
// slice rather than shifting in place, so a loop ranging over the old one
// (a handler disconnecting during onError) still visits every socket. A
// connection left in no namespace is tracked again, before the namespace
// forgets the socket, so that Server.Close always finds it.
func (c *conn) forget(s *Socket) {
	for i, x := range c.nsps {
		if x == s {
			if len(c.nsps) == 1 {
				c.nsps = nil
				if !c.gone {
					c.ls().srv.trackUnjoined(c, 0)
				}
			} else {
				c.nsps = slices.Concat(c.nsps[:i], c.nsps[i+1:])
			}
			return
		}
	}
}

// connect handles CONNECT for namespace name (Node's Client.connect).
func (c *conn) connect(name string, auth []byte) {
	if nsp := c.ls().srv.lookup(name); nsp != nil {
		c.doConnect(nsp, auth)
		return
	}
	if nsp := c.ls().srv.matchDynamic(name, auth); nsp != nil {
		c.doConnect(nsp, auth)
		return
	}
	c.es.Send(c.ls().srv.encodeSimple(parser.ConnectError, name, []byte(`{"message":"Invalid namespace"}`))...)
	c.countSent()
}

// doConnect creates the socket (a recovered one when the client has a
// session to recover, see recovery.go) and runs the namespace middlewares.
func (c *conn) doConnect(nsp *Namespace, auth []byte) {
	if c.ls().srv.recovery != nil && c.connectRecovering(nsp, auth) {
		return
	}
	c.runMiddlewares(newSocket(nsp, c, auth))
}

// runMiddlewares runs the namespace middlewares of s, then connects it.
func (c *conn) runMiddlewares(s *Socket) {
	mws, _ := s.nsp.hooks()
	if len(mws) == 0 {
		c.connected(s) // the common case needs no middleware run (96 bytes)
		return
	}
	r := &mwRun{c: c, s: s, mws: mws}
	r.nextFn = r.next
	r.start()
}

// sendConnectReply answers a successful CONNECT: `0` (v3) or
// `0{"sid":"<id>"}`, for s's namespace. It is built in a pooled buffer and
// sent at once: before anything the connection listeners emit, and without
// garbage (a large server connects thousands of sockets a second). Home
// loop.
func (c *conn) sendConnectReply(s *Socket) {
	bp := scratchPool.Get().(*[]byte)
	b := (*bp)[:0]
	var payload []byte
	if !c.v3 {
		b = parser.AppendString(append(b, `{"sid":`...), s.id)
		if s.rec != nil { // connection state recovery; set before s is shared, never changed
			b = parser.AppendString(append(b, `,"pid":`...), s.rec.pid)
		}
		b = append(b, '}')
		payload = b
	}
	pkt := parser.Packet{Type: parser.Connect, Namespace: s.nsp.name, ID: -1, Data: payload}
	c.es.SendNow(c.ls().srv.appendPacket(b[len(b):], &pkt))
	c.countSent()
	*bp = b[:0]
	releaseScratch(bp)
}

// connected completes a successful CONNECT. Home loop.
func (c *conn) connected(s *Socket) {
	if c.gone || c.closing {
		s.nsp.adapter.DelAll(s) // connection closed during middlewares: drop
		s.state.Store(stateDisconnected)
		s.nsp.remove(s) // a recovered socket is in the namespace already
		return
	}
	nsp := s.nsp
	nsp.add(s)
	s.state.Store(stateConnected) // first: the adapter lists only connected sockets (recipients.go)
	nsp.adapter.AddAll(s, []Room{s.id})
	if debuglog.On(debuglog.Socket) {
		debugSocket(s, "connect")
	}
	c.sendConnectReply(s)
	c.nsps = append(c.nsps, s)
	if len(c.nsps) == 1 {
		c.ls().srv.untrack(c) // after nsp.add: Server.Close finds it there
	}
	_, onConn := nsp.hooks()
	s.run(func() {
		for _, fn := range onConn {
			s.safe(func() { fn(s) })
		}
	})
}

// refused sends the CONNECT_ERROR of a middleware error. Home loop.
func (c *conn) refused(s *Socket, err error) {
	if debuglog.On(debuglog.Socket) {
		debugSocket(s, "connect refused", slog.Any("err", err))
	}
	s.nsp.adapter.DelAll(s)
	s.state.Store(stateDisconnected)
	s.nsp.remove(s) // a recovered socket is in the namespace already
	if c.gone || c.closing {
		return
	}
	c.es.Send(c.ls().srv.encodeSimple(parser.ConnectError, s.nsp.name, connectErrorPayload(err, c.v3))...)
	c.countSent()
}

// connectErrorPayload is {"message":..,"data":..}, or for protocol v4 the
// data (or message) as a JSON string/value.
func connectErrorPayload(err error, v3 bool) []byte {
	msg, data := err.Error(), any(nil)
	if ce, ok := err.(*ConnectError); ok {
		data = ce.Data
	}
	if v3 {
		if data != nil {
			if b, e := jsonx.Marshal(data); e == nil {
				return b
			}
		}
		return parser.AppendString(nil, msg)
	}
	out := parser.AppendString(append([]byte(nil), `{"message":`...), msg)
	if data != nil {
		if b, e := jsonx.Marshal(data); e == nil {
			out = append(append(out, `,"data":`...), b...)
		}
	}
	return append(out, '}')
}

// queryToJSON turns a v2 client's namespace query ("x=1&y=2") into the auth
// object {"x":"1","y":"2"}, keeping the query's order. nil when empty.
func queryToJSON(q string) []byte {
	if q == "" {
		return nil
	}
	out := []byte{'{'}
	for part := range strings.SplitSeq(q, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		k, _ = url.QueryUnescape(k)
		v, _ = url.QueryUnescape(v)
		if len(out) > 1 {
			out = append(out, ',')
		}
		out = parser.AppendString(out, k)
		out = parser.AppendString(append(out, ':'), v)
	}
	return append(out, '}')
}
