package clustertest

import (
	"context"
	"net"
	"sync/atomic"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/sio-fast/sio-fast/internal/redistest"
	"github.com/sio-fast/sio-fast/internal/siotest"
	"github.com/sio-fast/sio-fast/socketio"
)

// CheckClose: once a node's adapters (of two namespaces, one socket in a
// room) are closed, none of their goroutines is left, even after Redis
// went away, and nothing dials Redis any more; closing their client then
// leaves no go-redis goroutine either. The stacks are compared with those
// of before the node started.
func CheckClose(t *testing.T, newAdapter NewAdapter) {
	t.Helper()
	r := redistest.Start(t)
	before := redistest.Goroutines(redistest.LeakMatches...)
	var closed atomic.Bool
	var dialer net.Dialer
	rdb := goredis.NewClient(&goredis.Options{
		Addr: r.Addr(), DialTimeout: time.Second, MaxRetries: -1,
		Dialer: func(ctx context.Context, network, addr string) (net.Conn, error) {
			if closed.Load() {
				t.Errorf("dial of %s after the adapters closed", addr)
			}
			return dialer.DialContext(ctx, network, addr)
		},
	})
	defer rdb.Close()
	sio := socketio.NewServer(socketio.Config{NewAdapter: newAdapter(rdb), Logger: Log})
	sio.OnConnection(func(s *socketio.Socket) { s.Join("r") })
	nd := &Node{Sio: sio, URL: Serve(t, sio), RDB: rdb}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, name := range []string{"/", "/other"} {
		if err := sio.Of(name).Adapter().(Adapter).WaitReady(ctx); err != nil {
			t.Fatal(err)
		}
	}
	siotest.Dial(t, nd.URL) // joins "r", left by the close
	WaitRoom(t, nd, "r", 1)
	if len(redistest.Goroutines(redistest.AdapterStacks)) == 0 {
		t.Fatal("no adapter goroutine is running: the check would prove nothing")
	}
	if err := sio.Close(); err != nil {
		t.Fatal(err)
	}
	closed.Store(true)
	r.Kill()
	redistest.WaitGoroutinesGone(t, before, redistest.AdapterStacks)
	if err := rdb.Close(); err != nil {
		t.Fatal(err)
	}
	redistest.WaitGoroutinesGone(t, before, redistest.LeakMatches...)
}
