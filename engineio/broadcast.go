package engineio

import "github.com/sio-fast/sio-fast/loop"

// wsOnHome returns the session's WebSocket when a broadcast can be written
// to it at once, the common case of a fan-out: a WebSocket on the home
// loop, the session not closing and no heartbeat deadline due (the general
// path fires it first). It reads only the session and the connection the
// write touches anyway. Home loop only.
func (s *Socket) wsOnHome() *loop.Conn {
	c := s.ws
	if c == nil || s.closing || !s.home.On(c.Loop()) || s.homeLoop().Due(&s.heartbeat) {
		return nil
	}
	return c
}

// writePreparedWS is WritePrepared to c, the session's WebSocket on the
// home loop (wsOnHome): the shared v4 frames unless the session needs the
// v3 or compressed form. Home loop only.
func (s *Socket) writePreparedWS(c *loop.Conn, p *Prepared, volatile bool) bool {
	if volatile && !c.Writable() {
		return false
	}
	b := p.ws
	if s.proto == 3 || s.wsDeflate {
		b = p.wsFrames(s.proto == 3, s.deflate())
	}
	_ = c.Write(b)
	return true
}

// Broadcast writes one Prepared to many sessions of one loop, in passes
// over the recipients rather than one recipient at a time: first every
// session (is it on a WebSocket it can write to at once?), then every
// connection (queue the shared frames). Within a pass the memory each
// recipient needs does not depend on the previous recipient's, so the
// processor fetches many at once; walked one by one, each recipient's
// session → connection chain would be waited for in turn. A zero value is
// ready; keep it to reuse its table. Home loop of the sessions only.
type Broadcast struct {
	direct []directWS
}

// directWS is a recipient whose WebSocket the second pass writes to.
type directWS struct {
	s *Socket
	c *loop.Conn
}

// maxKeptDirect bounds the table a Broadcast keeps between calls.
const maxKeptDirect = 1 << 16

// WritePrepared writes p to every session in socks, as Socket.WritePrepared
// does for each, and returns how many were written (volatile packets
// dropped are not). Every session must live on the calling loop.
func (b *Broadcast) WritePrepared(socks []*Socket, p *Prepared, volatile bool) int {
	if len(socks) == 0 {
		return 0
	}
	// The calling loop: the second pass compares each WebSocket's loop to
	// it, rather than read the session again for its home.
	here := socks[0].homeLoop()
	n := 0
	for _, s := range socks {
		c := s.ws
		if c == nil || s.closing || s.proto == 3 || s.wsDeflate || s.homeLoop() != here || here.Due(&s.heartbeat) {
			if s.WritePrepared(p, volatile) { // polling, v3, compressed, or a deadline to fire first
				n++
			}
			continue
		}
		b.direct = append(b.direct, directWS{s, c})
	}
	for _, d := range b.direct {
		c := d.c
		switch {
		case c.Loop() != here: // a WebSocket upgraded to on another loop
			if d.s.WritePrepared(p, volatile) {
				n++
			}
		case volatile && !c.Writable():
		default:
			_ = c.Write(p.ws)
			n++
		}
	}
	clear(b.direct)
	b.direct = b.direct[:0]
	if cap(b.direct) > maxKeptDirect {
		b.direct = nil
	}
	return n
}
