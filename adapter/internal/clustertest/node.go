package clustertest

import (
	"context"
	"io"
	"log/slog"
	"os"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/sio-fast/sio-fast/engineio"
	"github.com/sio-fast/sio-fast/internal/looptest"
	"github.com/sio-fast/sio-fast/internal/redistest"
	"github.com/sio-fast/sio-fast/socketio"
)

// Log is the test nodes' logger: quiet unless REDIS_TEST_LOG is set.
var Log = slog.New(slog.NewTextHandler(logSink(), nil))

func logSink() io.Writer {
	if os.Getenv("REDIS_TEST_LOG") != "" {
		return os.Stderr
	}
	return io.Discard
}

// Adapter is what the tests ask of every cluster adapter.
type Adapter interface {
	WaitReady(ctx context.Context) error
	ServerCount() int
	Len(room socketio.Room) int
}

// Node is one sio-fast node of a test cluster.
type Node struct {
	Sio *socketio.Server
	URL string
	RDB *goredis.Client // the adapter's client
}

// Adapter is the node's adapter of the main namespace.
func (n *Node) Adapter() Adapter { return n.Sio.Of("/").Adapter().(Adapter) }

// NewAdapter builds a node's adapter on its Redis client.
type NewAdapter func(rdb *goredis.Client) func(*socketio.Namespace) socketio.Adapter

// Start runs a sio-fast node on r with the adapter newAdapter builds, a
// "join" event (ack after joining), recovery when rec is set, and whatever
// setup adds; it returns once the adapter is ready. The node and its
// client close when the test ends.
func Start(t testing.TB, r *redistest.Server, newAdapter NewAdapter, rec *socketio.Recovery, setup func(*socketio.Server)) *Node {
	t.Helper()
	rdb := NewClient(t, r)
	sio := socketio.NewServer(socketio.Config{NewAdapter: newAdapter(rdb), Logger: Log, Recovery: rec})
	sio.OnConnection(func(s *socketio.Socket) {
		s.On("join", func(s *socketio.Socket, args socketio.Args, ack socketio.AckFunc) {
			s.Join(Str(args, 0))
			if ack != nil {
				_ = ack()
			}
		})
	})
	if setup != nil {
		setup(sio)
	}
	n := &Node{Sio: sio, URL: Serve(t, sio), RDB: rdb}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := n.Adapter().WaitReady(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sio.Close() })
	return n
}

// NewClient is a client of r that fails fast (no retries), closed when
// the test ends.
func NewClient(t testing.TB, r *redistest.Server) *goredis.Client {
	rdb := goredis.NewClient(&goredis.Options{Addr: r.Addr(), DialTimeout: time.Second, MaxRetries: -1})
	t.Cleanup(func() { rdb.Close() })
	return rdb
}

// Serve serves sio on a loopback port and returns its URL.
func Serve(tb testing.TB, sio *socketio.Server) string {
	return looptest.URL(looptest.Serve(tb, sio.NewEngine(engineio.Config{})))
}
