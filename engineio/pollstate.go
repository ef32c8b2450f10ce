package engineio

import "github.com/sio-fast/sio-fast/loop"

// pollState is what a session needs only while it polls or upgrades from
// polling: the packets waiting for a GET, the parked GET, and the probe. A
// session opened over WebSocket never has one, and an upgraded session
// drops it, so the many idle WebSocket sessions of a large server do not
// pay for it (it would take Socket from 128 to 176 bytes).
type pollState struct {
	writeBuf     []queued
	get          *pollGet    // parked polling GET
	probe        *loop.Conn  // WebSocket being upgraded to
	upgradeT     *loop.Timer // upgrade deadline; allocated by the first upgrade
	b64          bool        // v3 client asked for base64 binary over polling
	probeDeflate bool        // probe negotiated permessage-deflate
	upgrading    bool        // probe answered: pending GETs get noops
}

// queue appends q to the packets waiting for a GET. A session without a
// polling transport has none to wait for. Home loop only.
func (s *Socket) queue(q queued) {
	if s.poll != nil {
		s.poll.writeBuf = append(s.poll.writeBuf, q)
	}
}

// isProbe reports whether c is the WebSocket being upgraded to. Home loop.
func (s *Socket) isProbe(c *loop.Conn) bool {
	return s.poll != nil && s.poll.probe == c
}

// abortProbe forgets the probe after its connection failed or closed: the
// session stays on polling. Home loop only.
func (s *Socket) abortProbe() {
	p := s.poll
	p.probe = nil
	p.upgrading = false
	if p.upgradeT != nil {
		p.upgradeT.Stop()
	}
}

// closeProbe closes the probe, if any, and aborts the upgrade. Home loop.
func (s *Socket) closeProbe() {
	p := s.poll
	if p == nil {
		return
	}
	if p.probe != nil {
		closeConn(s.homeLoop(), p.probe)
	}
	s.abortProbe()
}
