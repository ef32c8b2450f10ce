package engineio

import "github.com/sio-fast/sio-fast/loop"

// A session opened by polling lives on the loop of its handshake; its
// WebSocket may land on another loop. At the upgrade the session moves
// there (loop.Home), so that every write is a direct one on the WebSocket's
// loop rather than a hop through that loop's inbox. The move keeps order:
// what was handed to the session before it (Sends, broadcasts, requests
// read on other loops) runs on the new loop before anything handed over
// after it.
//
// A broadcast groups its recipients by home loop and queues one batch per
// loop (socketio's fan-out); HomeMoves, ExecuteUnlessMoved, OnHome and
// Reroute let such a batch find a recipient that moved meanwhile and keep
// its place in that recipient's order.

// moveTo makes `to`, the loop of the session's new WebSocket, its home. The
// heartbeat moves with it, and the upgrade callback runs there before
// anything else of the session. Home loop only.
func (s *Socket) moveTo(to *loop.Loop) {
	when, armed := s.heartbeat.Deadline()
	s.heartbeat.Stop()
	s.home.Move(s.homeLoop(), to, func() {
		if armed && !s.closed {
			to.ArmAt(&s.heartbeat, when)
		}
		s.upgraded()
	})
}

// HomeMoves returns a count that changes whenever a session moves to
// another loop. A broadcast takes it before it reads its recipients' Home,
// and queues the batch of each loop with ExecuteUnlessMoved. Safe from any
// goroutine.
func HomeMoves() uint64 { return loop.Moves() }

// ExecuteUnlessMoved runs fn on e, like e.Execute, unless a session moved
// since HomeMoves returned seen; it reports whether fn was queued. On false,
// take HomeMoves again and hand the recipients whose Home is no longer e to
// their sessions (Socket.Execute) before queueing the rest again. Executors
// that are not loops (fakes) always queue. Safe from any goroutine.
func ExecuteUnlessMoved(e Executor, seen uint64, fn func()) bool {
	if l, ok := e.(*loop.Loop); ok {
		return l.ExecuteUnlessMoved(seen, fn)
	}
	e.Execute(fn)
	return true
}

// HomesSettled reports whether every session found living on loop e after
// HomeMoves returned seen may be touched there now (no session moved since,
// none is arriving on e): a batch queued with ExecuteUnlessMoved(e, seen)
// then needs no OnHome per session. Executors that are not loops (fakes)
// are always settled. Loop e only.
func HomesSettled(e Executor, seen uint64) bool {
	l, ok := e.(*loop.Loop)
	return !ok || l.Settled(seen)
}

// OnHome reports whether the session may be touched now on loop e, where
// the caller runs a batch queued for it (a broadcast): e is its home and no
// move to e still waits for older work. When false, hand the session's share
// of the batch to Reroute. Loop e only.
func (s *Socket) OnHome(e Executor) bool {
	l, ok := e.(*loop.Loop)
	return ok && s.home.Here(l)
}

// Reroute runs fn for the session, where OnHome(e) was false, in the place
// of the batch queued on e: before anything handed to the session after
// that batch. The batch must have been queued with ExecuteUnlessMoved (or
// while the session lived on e). Loop e only.
func (s *Socket) Reroute(e Executor, fn func()) {
	if l, ok := e.(*loop.Loop); ok {
		s.home.Reroute(l, fn)
		return
	}
	s.Execute(fn)
}
