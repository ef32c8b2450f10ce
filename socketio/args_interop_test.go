package socketio_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/sio-fast/sio-fast/engineio"
	"github.com/sio-fast/sio-fast/internal/scripttest"
	"github.com/sio-fast/sio-fast/socketio"
)

// argsServer has the misuses of issue 17 written as a newcomer would, plus
// typed binary decoding and a binary argument passed on.
func argsServer(t *testing.T) string {
	t.Helper()
	sio := socketio.NewServer(socketio.Config{})
	sio.OnConnection(func(s *socketio.Socket) {
		s.On("ack-later", func(_ *socketio.Socket, args socketio.Args, ack socketio.AckFunc) {
			go func() { time.Sleep(time.Millisecond); _ = ack(args) }()
		})
		s.On("ack-raw-later", func(_ *socketio.Socket, args socketio.Args, ack socketio.AckFunc) {
			go func() { _ = ack(args.Raw(0)) }()
		})
		var (
			mu    sync.Mutex
			stash socketio.Args
		)
		s.On("stash", func(_ *socketio.Socket, args socketio.Args, _ socketio.AckFunc) {
			mu.Lock()
			stash = args
			mu.Unlock()
		})
		s.On("use-stash", func(s *socketio.Socket, _ socketio.Args, _ socketio.AckFunc) {
			mu.Lock()
			a := stash
			mu.Unlock()
			go func() {
				if err := s.Emit("late", a); err != nil {
					_ = s.Emit("late-err", err.Error())
				}
			}()
		})
		s.On("decode", func(_ *socketio.Socket, args socketio.Args, ack socketio.AckFunc) {
			var v struct {
				Name  string `json:"name"`
				Files []struct {
					Data []byte `json:"data"`
				} `json:"files"`
				Meta  map[string][]byte `json:"meta"`
				Count int               `json:"count"`
			}
			if err := args.Decode(0, &v); err != nil {
				_ = ack(err.Error())
				return
			}
			_ = ack(v)
		})
		var together sync.WaitGroup
		together.Add(3)
		s.On("lookup", func(s *socketio.Socket, args socketio.Args, ack socketio.AckFunc) {
			s.GoConcurrent(func() {
				together.Done()
				all := make(chan struct{})
				go func() { together.Wait(); close(all) }()
				n, _ := args.Int(0)
				select {
				case <-all:
					_ = ack(fmt.Sprintf("together:%d", n))
				case <-time.After(5 * time.Second):
					_ = ack(fmt.Sprintf("alone:%d", n))
				}
			})
		})
		s.On("second", func(_ *socketio.Socket, args socketio.Args, ack socketio.AckFunc) { _ = ack(args.Arg(1)) })
	})
	return serveInterop(t, sio, engineio.Config{})
}

// TestInteropArgLifetimes checks what npm socket.io-client 4.8 receives
// from those handlers: every late ack exact, expired Args refused with a
// clear error, []byte fields decoded at depth, one client's lookups run
// concurrently with GoConcurrent, and binary passed on.
func TestInteropArgLifetimes(t *testing.T) {
	scripttest.NeedNode(t, "interop")
	url := argsServer(t)
	scripttest.RunCases(t, 90*time.Second, []string{
		"ack-args-from-goroutine", "ack-raw-from-goroutine", "emit-expired-args",
		"decode-binary-struct", "go-concurrent-parallel", "binary-arg-passed-on",
	}, ".", "node", "interop/args.js", url, "lifetimes")
}
