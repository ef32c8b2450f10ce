package socketio

import "github.com/sio-fast/sio-fast/engineio"

// An Engine.IO session opened by polling moves to the loop of its WebSocket
// when it upgrades (engineio/rehome.go). What socketio keeps per loop moves
// with it (OnUpgrade), and a broadcast, which groups its recipients by home
// loop, finds the recipients that moved while it was on its way and hands
// them their share in order (queue, reroute).

// OnUpgrade runs on the session's home loop once it is on WebSocket: after
// a move, the WebSocket's loop. The connection's per-loop state follows it
// (engineio.UpgradeHandler).
func (c *conn) OnUpgrade() {
	c.loop.Store(c.ls().srv.watch.forLoop(c.es.Home()))
	for _, s := range c.nsps {
		s.nsp.rcpt.upgraded(s) // settled for good: into its loop's table
	}
}

// queue hands t to its loop, unless a session moved since the recipients'
// homes were read: then the recipients that left get the broadcast through
// their session, in order, and the others are queued again.
func (c *collector) queue(t *loopTask) {
	t.seen = c.moves
	for !engineio.ExecuteUnlessMoved(t.exec, t.seen, t.fn) {
		t.seen = engineio.HomeMoves()
		t.sendMoved()
		if len(t.socks) == 0 && t.table == nil {
			t.run() // back to the pool
			return
		}
	}
}

// sendMoved hands the broadcast to each recipient whose home is no longer
// t.exec, through its session, and keeps the others. Not on a loop.
func (t *loopTask) sendMoved() {
	kept := t.socks[:0]
	for _, s := range t.socks {
		if s.conn.es.Home() == t.exec {
			kept = append(kept, s)
			continue
		}
		b := t.bcast
		s.conn.es.Execute(func() { b.deliverMoved(s) })
	}
	clear(t.socks[len(kept):])
	t.socks = kept
}

// reroute hands s's share of the batch running on t.exec to s's session,
// which moved away or is still arriving. Loop t.exec.
func (t *loopTask) reroute(s *Socket) {
	b := t.bcast
	s.conn.es.Reroute(t.exec, func() { b.deliverMoved(s) })
}
