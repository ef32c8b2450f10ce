package socketio_test

import (
	"sync"
	"testing"
	"time"

	"github.com/sio-fast/sio-fast/engineio"
	"github.com/sio-fast/sio-fast/internal/scripttest"
	"github.com/sio-fast/sio-fast/socketio"
)

// recoveryCases are the cases interop/recovery.js reports, in order.
var recoveryCases = []string{
	"stream-websocket-client-drop", "stream-polling-client-drop",
	"stream-websocket-server-drop", "stream-polling+websocket-server-drop",
	"skip-middlewares", "run-middlewares", "expired", "reconnect-latency", "forged-and-stale-pid",
}

// recoveryServer is the application recovery.js drives (see its header):
// fresh sockets join "room" and get {"born": id} as data; a middleware
// counts its runs per socket id.
func recoveryServer(t *testing.T, rec *socketio.Recovery) string {
	t.Helper()
	sio := socketio.NewServer(socketio.Config{Recovery: rec})
	var mu sync.Mutex
	runs, recoveredRuns := map[string]int{}, map[string]int{}
	sio.Use(func(s *socketio.Socket, next func(error)) {
		mu.Lock()
		runs[s.ID()]++
		if s.Recovered() {
			recoveredRuns[s.ID()]++
		}
		mu.Unlock()
		next(nil)
	})
	sio.OnConnection(func(s *socketio.Socket) {
		if !s.Recovered() {
			s.Join("room")
			s.SetData(map[string]string{"born": s.ID()})
		}
		s.On("whoami", func(s *socketio.Socket, args socketio.Args, ack socketio.AckFunc) {
			mu.Lock()
			mw, mwRec := runs[s.ID()], recoveredRuns[s.ID()]
			mu.Unlock()
			if ack != nil {
				ack(map[string]any{"id": s.ID(), "rooms": s.Rooms(), "data": s.Data(), "recovered": s.Recovered(), "mw": mw, "mwRecovered": mwRec})
			}
		})
		s.On("stream", func(s *socketio.Socket, args socketio.Args, ack socketio.AckFunc) {
			n, _ := args.Int(0)
			dropAt, _ := args.Int(1)
			go func() {
				for i := range n {
					if i%2 == 0 {
						_ = sio.To("room").Emit("seq", i)
					} else {
						_ = s.Emit("seq", i) // stored for s even once it is disconnected
					}
					if i == dropAt {
						s.Conn().Close()
					}
					time.Sleep(time.Millisecond)
				}
			}()
		})
	})
	return serveInterop(t, sio, engineio.Config{})
}

// TestInteropRecovery drives connection state recovery with npm
// socket.io-client 4.8: transports broken mid-stream by either side while
// packets keep coming (each must arrive once, in order), middlewares
// skipped or run, expiry, and forged or replayed pids.
func TestInteropRecovery(t *testing.T) {
	scripttest.NeedNode(t, "interop")
	skip := recoveryServer(t, socketio.DefaultRecovery())
	run := recoveryServer(t, &socketio.Recovery{MaxDisconnectionDuration: 400 * time.Millisecond})
	scripttest.RunCases(t, 120*time.Second, recoveryCases, ".", "node", "interop/recovery.js", skip, run)
}
