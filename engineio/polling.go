package engineio

import (
	"github.com/sio-fast/sio-fast/engineio/packet"
	"github.com/sio-fast/sio-fast/httpx"
	"github.com/sio-fast/sio-fast/internal/bufpool"
	"github.com/sio-fast/sio-fast/loop"
)

// pollGet is a polling GET waiting for packets. Its connection may live on
// another loop; what the response needs from the request was captured when
// it arrived.
type pollGet struct {
	c       *loop.Conn
	headers []byte // extra header lines (CORS, hooks), owned
	// encoding is what the answer may use: encNone, encGzip or encDeflate
	// (a byte rather than the name's string: every connection speaking
	// HTTP holds a pollGet in its connState, 16 bytes less each).
	encoding uint8
	// closed: the connection closed while the GET waited for its turn
	// (order.go). Home loop only.
	closed    bool
	keepAlive bool
}

// The values of pollGet.encoding.
const (
	encNone = iota
	encGzip
	encDeflate
)

// encodingCode is pollGet.encoding for a name acceptedEncoding returned.
func encodingCode(name string) uint8 {
	switch name {
	case encodingGzip:
		return encGzip
	case encodingDeflate:
		return encDeflate
	}
	return encNone
}

// encodingName is the inverse of encodingCode.
func encodingName(code uint8) string {
	switch code {
	case encGzip:
		return encodingGzip
	case encDeflate:
		return encodingDeflate
	}
	return ""
}

// onPollGet runs on the home loop when a polling GET arrived.
func (s *Socket) onPollGet(g *pollGet) {
	switch {
	case s.expired():
		answerPollGet(s.homeLoop(), g, errorResponse(newConnError(CodeUnknownSID, ""), g.headers, g.keepAlive))
	case s.ws != nil:
		answerPollGet(s.homeLoop(), g, errorResponse(newConnError(CodeBadRequest, ""), g.headers, g.keepAlive))
	case g.closed:
		s.finish(ReasonTransportError, "poll connection closed prematurely")
	case s.poll.get != nil:
		// A second GET while one is parked: 400 for it, a close packet for
		// the first, and the session ends (Node).
		answerPollGet(s.homeLoop(), g, errorResponse(newConnError(CodeBadRequest, ""), g.headers, g.keepAlive))
		s.poll.writeBuf = append(s.poll.writeBuf[:0], queued{Packet: packet.Packet{Type: packet.Close}})
		s.flushPoll()
		s.finish(ReasonTransportError, "overlap from client")
	case s.poll.upgrading:
		s.poll.get = g
		s.answerGet(s.noopPayload())
	default:
		s.poll.get = g
		s.flushPoll()
	}
}

// flushPoll answers the parked GET with everything queued. Home loop only.
func (s *Socket) flushPoll() {
	p := s.poll
	if p == nil || p.get == nil || len(p.writeBuf) == 0 {
		return
	}
	n := len(p.writeBuf)
	if s.closing && n > 1 {
		// The close packet, queued last, waits for the next GET: in one
		// payload with messages, socket.io-client acts on the close before
		// the messages (their packets are decoded a tick later), and a
		// DISCONNECT sent just before the close would be lost ("transport
		// close" instead of "io server disconnect"). Node's engine, too,
		// closes only once the messages have drained.
		n--
	}
	buf := bufpool.Get()
	defer bufpool.Put(buf) // answerGetTyped copies the body into the answer
	body, binary := s.encodePayload(buf.B, p.writeBuf[:n])
	buf.B = body
	compress := false
	for _, q := range p.writeBuf[:n] {
		compress = compress || !q.plain
	}
	if n == len(p.writeBuf) {
		// Dropped rather than kept for reuse: 10,000 idle long-polls would
		// each pin a backing array, and a broadcast to a parked GET needs
		// none (answerPrepared).
		p.writeBuf = nil
	} else {
		rest := copy(p.writeBuf, p.writeBuf[n:])
		clear(p.writeBuf[rest:])
		p.writeBuf = p.writeBuf[:rest]
	}
	s.answerGetTyped(body, binary, compress)
	s.flushed()
}

// answerPrepared answers the parked GET with pr alone when nothing else is
// queued: with the response pr encoded once for every such recipient (a
// broadcast to long-polling clients writes the same bytes to each, as it
// does to WebSockets). It reports false, changing nothing, when the answer
// needs more (queued packets, Engine.IO v3, a connection to close, extra
// headers, compression). Home loop only.
func (s *Socket) answerPrepared(pr *Prepared) bool {
	p := s.poll
	if p == nil || p.get == nil || len(p.writeBuf) > 0 || s.proto != 4 {
		return false
	}
	g := p.get
	th := s.srv.cfg.HTTPCompressionThreshold
	if !g.keepAlive || len(g.headers) > 0 || (g.encoding != encNone && th >= 0 && len(pr.poll) >= th) {
		return false
	}
	p.get = nil
	answerPollGet(s.homeLoop(), g, pr.pollAnswer())
	s.flushed()
	return true
}

// flushed follows an answer to the parked GET: a closing session ends once
// its close packet went (else it waits for the next GET, flushPoll), an
// open one's handler hears the drain. Home loop only.
func (s *Socket) flushed() {
	if s.closing {
		if len(s.poll.writeBuf) == 0 {
			s.finish(s.closingReason(), "")
		} else {
			s.homeLoop().Arm(&s.heartbeat, s.srv.cfg.PingInterval+s.srv.cfg.PingTimeout)
		}
		return
	}
	if d, ok := s.h.(DrainHandler); ok {
		d.OnDrain()
	}
}

// encodePayload appends pkts to body as one polling payload.
func (s *Socket) encodePayload(body []byte, pkts []queued) ([]byte, bool) {
	binary := false
	if s.proto == 4 {
		for i, q := range pkts {
			if i > 0 {
				body = packet.AppendPayloadSep(body)
			}
			body = packet.AppendPayloadPacket(body, q.Packet)
		}
		return body, false
	}
	if !s.poll.b64 {
		for _, q := range pkts {
			if q.Binary {
				binary = true
				break
			}
		}
	}
	for _, q := range pkts {
		if binary {
			body = packet.AppendBinaryPayloadV3(body, q.Packet)
		} else {
			body = packet.AppendPayloadV3(body, q.Packet)
		}
	}
	return body, binary
}

func (s *Socket) noopPayload() []byte {
	if s.proto == 3 {
		return []byte("1:6")
	}
	return []byte("6")
}

func (s *Socket) closePayload() []byte {
	if s.proto == 3 {
		return []byte("1:1")
	}
	return []byte("1")
}

func (s *Socket) answerGet(body []byte) { s.answerGetTyped(body, false, true) }

// answerGetTyped answers the parked GET with body. compress is false when
// every packet in it was sent with NoCompress (Node compresses a payload
// when at least one packet allows it).
func (s *Socket) answerGetTyped(body []byte, binary, compress bool) {
	g := s.poll.get
	s.poll.get = nil
	ctype := "text/plain; charset=UTF-8"
	if binary {
		ctype = "application/octet-stream"
	}
	encoding := ""
	if th := s.srv.cfg.HTTPCompressionThreshold; compress && g.encoding != encNone && th >= 0 && len(body) >= th {
		encoding = encodingName(g.encoding)
		body = compressBody(encoding, body)
	}
	// Built in the loop's scratch memory when the answer is written on this
	// loop this turn (the GET's connection lives here): pings and the
	// CONNECT answer leave no garbage per long-poll.
	n := len(body) + len(g.headers) + 256
	home := s.homeLoop()
	var resp []byte
	if g.c.Loop() == home {
		resp = home.Scratch(n)[:0]
	} else {
		resp = make([]byte, 0, n)
	}
	resp = appendResponseHead(resp, 200, ctype, int64(len(body)), g.keepAlive)
	resp = append(resp, "Cache-Control: no-store\r\n"...)
	if encoding != "" {
		resp = httpx.AppendHeader(resp, "Content-Encoding", encoding)
	}
	resp = append(resp, g.headers...)
	resp = httpx.AppendEndHeaders(resp)
	resp = append(resp, body...)
	answerPollGet(home, g, resp)
}

// onPollPost applies a polling POST on the home loop: a session closed
// meanwhile (or whose heartbeat deadline passed) answers 400 "Session ID
// unknown", as Node's would, else the packets are delivered and the POST
// answered "ok".
func (s *Socket) onPollPost(p *pollPost) {
	if s.expired() {
		answerPollGet(s.homeLoop(), &p.reply, errorResponse(newConnError(CodeUnknownSID, ""), p.reply.headers, p.reply.keepAlive))
		return
	}
	if p.failReason != "" {
		answerPollGet(s.homeLoop(), &p.reply, errorResponse(newConnError(CodeBadRequest, ""), p.reply.headers, p.reply.keepAlive))
		s.closeWith(p.failReason, p.failDesc)
		return
	}
	s.onPackets(p.pkts)
	resp := okKeepAlive
	if !p.reply.keepAlive || len(p.reply.headers) > 0 {
		resp = appendResponseHead(nil, 200, "text/html", 2, p.reply.keepAlive)
		resp = append(resp, p.reply.headers...)
		resp = httpx.AppendEndHeaders(resp)
		resp = append(resp, "ok"...)
	}
	answerPollGet(s.homeLoop(), &p.reply, resp)
}

// okKeepAlive is the answer to a POST on a kept-alive connection without
// extra headers (no CORS, no Headers hook): the same bytes every time.
var okKeepAlive = append(httpx.AppendEndHeaders(appendResponseHead(nil, 200, "text/html", 2, true)), "ok"...)

// onPackets delivers the packets of one POST, in order. They are delivered
// even when the upgrade completed meanwhile: the POST was accepted while the
// session polled, and the client sent "5" only after its answer, so these
// packets precede everything the WebSocket brings. Home loop only.
func (s *Socket) onPackets(pkts []packet.Packet) {
	for _, p := range pkts {
		if s.closed {
			return
		}
		s.deliver(p)
	}
}
