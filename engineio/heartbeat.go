package engineio

import (
	"log/slog"

	"github.com/sio-fast/sio-fast/engineio/packet"
	"github.com/sio-fast/sio-fast/internal/debuglog"
)

// The heartbeat is one timer per session on its home loop's wheel: the
// next ping (v4), the pong deadline (v4) or the ping deadline (v3), and the
// wait of a server-side close over polling. The wheel fires it at most about
// a millisecond late; every observation of the session (a request, a frame,
// a send) first fires it if it is already due (expired), so that what a
// client sees follows the exact deadlines, as Node's timers do.

// start arms the heartbeat and announces the session. Home loop only.
func (s *Socket) start() {
	if debuglog.On(debuglog.Engine) {
		debugEngine(s, "open", slog.Int("protocol", int(s.proto)), slog.String("remote", s.RemoteAddr().String()))
	}
	if s.proto == 3 {
		s.homeLoop().Arm(&s.heartbeat, s.srv.cfg.PingInterval+s.srv.cfg.PingTimeout)
	} else {
		s.homeLoop().Arm(&s.heartbeat, s.srv.cfg.PingInterval)
	}
	if s.srv.onConnection != nil {
		s.srv.onConnection(s)
	}
}

func (s *Socket) onHeartbeat() {
	switch {
	case s.closed:
	case s.closing:
		s.finish(s.closingReason(), "")
	case s.proto == 3 || s.pongPending:
		s.closeWith(ReasonPingTimeout, "")
	default:
		s.pongPending, s.pongGraced = true, false
		s.sendPacket(packet.Ping, nil)
		s.homeLoop().Arm(&s.heartbeat, s.srv.cfg.PingTimeout)
	}
}

// expired fires the heartbeat when its deadline passed before the wheel
// fired it: a session whose pong deadline passed is closed with "ping
// timeout" before the caller looks at it, and a due ping goes out first.
// It reports whether the session is closed. Home loop only.
func (s *Socket) expired() bool {
	s.homeLoop().FireIfDue(&s.heartbeat)
	return s.closed
}
