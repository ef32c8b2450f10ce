package engineio

import (
	"github.com/sio-fast/sio-fast/engineio/packet"
	"github.com/sio-fast/sio-fast/loop"
)

// onProbeOpen runs on the home loop when a WebSocket with this session's id
// completed its 101. Only one upgrade may happen per session.
func (s *Socket) onProbeOpen(c *loop.Conn, deflate bool) {
	if s.closed || s.ws != nil || s.probe != nil || s.srv.cfg.DisallowUpgrades {
		closeConn(s.home, c)
		return
	}
	s.probe = c
	s.probeDeflate = deflate
	if s.upgradeT == nil {
		s.upgradeT = loop.NewTimer(s.onUpgradeTimeout)
	}
	s.home.Arm(s.upgradeT, s.srv.cfg.UpgradeTimeout)
}

func (s *Socket) onUpgradeTimeout() {
	if s.probe != nil {
		closeConn(s.home, s.probe)
		s.probe = nil
		s.upgrading = false
	}
}

// onWSPacket receives a packet from WebSocket c: the active transport or the
// probe. Home loop only.
func (s *Socket) onWSPacket(c *loop.Conn, p packet.Packet) {
	switch {
	case s.closed:
	case c == s.ws:
		s.deliver(p)
	case c == s.probe:
		s.onProbePacket(c, p)
	default:
		closeConn(s.home, c) // a WebSocket this session no longer knows
	}
}

// onProbePacket runs the upgrade: "2probe" is answered "3probe" and parked
// GETs get noops; "5" switches the transport and flushes what polling had
// queued. Anything else aborts the upgrade; the session stays on polling.
func (s *Socket) onProbePacket(c *loop.Conn, p packet.Packet) {
	switch {
	case p.Type == packet.Ping && string(p.Data) == "probe" && !s.upgrading:
		s.writeConn(c, controlFrame(packet.Pong, []byte("probe")))
		s.upgrading = true
		if s.get != nil {
			s.answerGet(s.noopPayload())
		}
	case p.Type == packet.Upgrade && s.upgrading:
		s.completeUpgrade(c)
	default:
		s.probe = nil
		s.upgrading = false
		s.stopUpgradeTimer()
		closeConn(s.home, c)
	}
}

func (s *Socket) completeUpgrade(c *loop.Conn) {
	s.stopUpgradeTimer()
	s.probe = nil
	s.upgrading = false
	s.ws = c
	s.wsDeflate = s.probeDeflate
	s.state.Store(s.state.Load() | stateWS)
	if s.get != nil {
		s.answerGet(s.noopPayload())
	}
	if len(s.writeBuf) > 0 {
		var frames []byte
		for _, q := range s.writeBuf {
			frames = appendPacketFrameDeflate(frames, q, s.proto == 3, s.deflate())
		}
		clear(s.writeBuf)
		s.writeBuf = s.writeBuf[:0]
		s.writeConn(c, frames)
	}
	if u, ok := s.h.(UpgradeHandler); ok {
		u.OnUpgrade()
	}
}

// stopUpgradeTimer stops the upgrade deadline, if an upgrade ever armed it.
// Home loop.
func (s *Socket) stopUpgradeTimer() {
	if s.upgradeT != nil {
		s.upgradeT.Stop()
	}
}
