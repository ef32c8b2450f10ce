package engineio

import (
	"github.com/sio-fast/sio-fast/engineio/packet"
	"github.com/sio-fast/sio-fast/internal/debuglog"
	"github.com/sio-fast/sio-fast/loop"
)

// onProbeOpen runs on the home loop when a WebSocket with this session's id
// completed its 101. Only one upgrade may happen per session, and none once
// the heartbeat deadline has passed (expired closes the session first).
func (s *Socket) onProbeOpen(c *loop.Conn, deflate bool) {
	if s.expired() || s.ws != nil || s.poll.probe != nil || s.srv.cfg.DisallowUpgrades {
		closeConn(s.homeLoop(), c)
		return
	}
	p := s.poll
	p.probe = c
	p.probeDeflate = deflate
	if p.upgradeT == nil {
		p.upgradeT = loop.NewTimer(s.onUpgradeTimeout)
	}
	s.homeLoop().Arm(p.upgradeT, s.srv.cfg.UpgradeTimeout)
}

func (s *Socket) onUpgradeTimeout() { s.closeProbe() }

// onWSPacket receives a packet from WebSocket c: the active transport or the
// probe. Home loop only.
func (s *Socket) onWSPacket(c *loop.Conn, p packet.Packet) {
	switch {
	case s.expired():
	case c == s.ws:
		s.deliver(p)
	case s.isProbe(c):
		s.onProbePacket(c, p)
	default:
		closeConn(s.homeLoop(), c) // a WebSocket this session no longer knows
	}
}

// onProbePacket runs the upgrade: "2probe" is answered "3probe" and parked
// GETs get noops; "5" switches the transport and flushes what polling had
// queued. Anything else aborts the upgrade; the session stays on polling.
func (s *Socket) onProbePacket(c *loop.Conn, p packet.Packet) {
	poll := s.poll
	switch {
	case p.Type == packet.Ping && string(p.Data) == "probe" && !poll.upgrading:
		s.writeConn(c, controlFrame(packet.Pong, []byte("probe")))
		poll.upgrading = true
		if poll.get != nil {
			s.answerGet(s.noopPayload())
		}
	case p.Type == packet.Upgrade && poll.upgrading:
		s.completeUpgrade(c)
	default:
		s.abortProbe()
		closeConn(s.homeLoop(), c)
	}
}

// completeUpgrade makes c the session's transport: the parked GET gets a
// noop, what polling had queued goes out on c, and the polling state is
// dropped (a GET or probe arriving later finds s.ws set and is refused).
// When c lives on another loop the session then moves there (rehome.go).
func (s *Socket) completeUpgrade(c *loop.Conn) {
	p := s.poll
	s.abortProbe()
	s.ws = c
	if debuglog.On(debuglog.Engine) {
		debugEngine(s, "upgraded")
	}
	s.wsDeflate = p.probeDeflate
	s.state.Or(stateWS)
	if p.get != nil {
		s.answerGet(s.noopPayload())
	}
	if len(p.writeBuf) > 0 {
		var frames []byte
		for _, q := range p.writeBuf {
			frames = appendPacketFrameDeflate(frames, q, s.proto == 3, s.deflate())
		}
		s.writeConn(c, frames)
	}
	s.poll = nil
	if to := c.Loop(); to != s.homeLoop() {
		s.moveTo(to)
		return
	}
	s.upgraded()
}

// upgraded tells the handler that the session is on WebSocket, from its
// final home. Home loop only.
func (s *Socket) upgraded() {
	if u, ok := s.h.(UpgradeHandler); ok {
		u.OnUpgrade()
	}
}
