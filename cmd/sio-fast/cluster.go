package main

import "github.com/sio-fast/sio-fast/socketio"

// clusterEvents are the bench contract's events for clusters: count (the
// sockets of a room, or all, across the cluster) and whoami (recovered is
// true for a socket whose session was restored, -recovery).
func clusterEvents(sio *socketio.Server) {
	count := func(s *socketio.Socket, args socketio.Args, ack socketio.AckFunc) {
		if ack == nil {
			return
		}
		op := sio.In() // no room: every socket
		if room, ok := args.String(0); ok {
			op = sio.In(room)
		}
		go func() { // FetchSockets waits for the other nodes
			sockets, err := op.FetchSockets()
			if err != nil {
				_ = ack(-1)
				return
			}
			_ = ack(len(sockets))
		}()
	}
	whoami := func(s *socketio.Socket, args socketio.Args, ack socketio.AckFunc) {
		if ack != nil {
			_ = ack(map[string]any{"id": s.ID(), "recovered": s.Recovered(), "rooms": s.Rooms()})
		}
	}
	sio.OnConnection(func(s *socketio.Socket) {
		s.On("count", count)
		s.On("whoami", whoami)
	})
}
