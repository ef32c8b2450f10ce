package redis_test

import (
	"context"
	"errors"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/sio-fast/sio-fast/adapter/internal/clustertest"
	"github.com/sio-fast/sio-fast/adapter/redis"
	"github.com/sio-fast/sio-fast/internal/redistest"
	"github.com/sio-fast/sio-fast/internal/siotest"
	"github.com/sio-fast/sio-fast/socketio"
)

// node is one sio-fast node on the classic adapter.
type node struct{ *clustertest.Node }

func (n node) adapter() *redis.Adapter { return n.Sio.Of("/").Adapter().(*redis.Adapter) }

var quietLog = clustertest.Log

// startNode runs a sio-fast node on the classic adapter, joined to r (see
// clustertest.Start).
func startNode(t testing.TB, r *redistest.Server, opts redis.Options, setup func(*socketio.Server)) node {
	t.Helper()
	if opts.Logger == nil {
		opts.Logger = quietLog
	}
	return node{clustertest.Start(t, r, func(rdb *goredis.Client) func(*socketio.Namespace) socketio.Adapter {
		return redis.New(rdb, opts)
	}, nil, setup)}
}

// waitServers waits until every node counts n servers.
func waitServers(t *testing.T, n int, nodes ...node) {
	t.Helper()
	ns := make([]*clustertest.Node, len(nodes))
	for i, nd := range nodes {
		ns[i] = nd.Node
	}
	clustertest.WaitServers(t, n, ns...)
}

func cluster(t *testing.T, setup func(*socketio.Server)) (*redistest.Server, node, node) {
	r := redistest.Start(t)
	a := startNode(t, r, redis.Options{RequestsTimeout: 2 * time.Second}, setup)
	b := startNode(t, r, redis.Options{RequestsTimeout: 2 * time.Second}, setup)
	waitServers(t, 2, a, b)
	return r, a, b
}

func TestBroadcastAcrossNodes(t *testing.T) {
	_, a, b := cluster(t, nil)
	c := clustertest.DialClients(t, a.Node, b.Node)
	// A single-room broadcast (room channel) with except, a namespace
	// broadcast from the other node, binary to a room.
	clustertest.CheckBroadcasts(t, a.Node, b.Node, c, "x")

	// Each socket got each broadcast once: its own node ignores its echo.
	for _, cl := range c.All() {
		cl.Quiet(300 * time.Millisecond)
	}
	clustertest.WaitFor(t, "a's two publishes to be counted", func() bool { return a.adapter().Stats().Published >= 2 })
	if s := a.adapter().Stats(); s.Dropped != 0 {
		t.Fatalf("stats %+v", s)
	}
}

func TestLocalBroadcastIsNotPublished(t *testing.T) {
	_, a, b := cluster(t, nil)
	a1, b1 := siotest.Dial(t, a.URL), siotest.Dial(t, b.URL)
	_ = a.Sio.Local().Emit("local", 1)
	a1.Expect(`42["local",1]`)
	b1.Quiet(300 * time.Millisecond)
}

func TestBroadcastWithAckAcrossNodes(t *testing.T) {
	_, a, b := cluster(t, nil)
	clustertest.CheckBroadcastWithAck(t, a.Node, siotest.Dial(t, a.URL), siotest.Dial(t, b.URL), siotest.Dial(t, b.URL))
}

func TestFetchSocketsAcrossNodes(t *testing.T) {
	_, a, b := cluster(t, nil)
	a1, b1 := siotest.Dial(t, a.URL), siotest.Dial(t, b.URL)
	clustertest.Join(b1, "r")
	all, err := a.Sio.FetchSockets()
	if err != nil || len(all) != 2 {
		t.Fatalf("FetchSockets = %d sockets, %v", len(all), err)
	}
	remote := clustertest.CheckRemoteSocket(t, a.Node, b.Node, b1)
	_ = a.Sio.To("joined").Emit("in-joined")
	b1.Expect(`42["in-joined"]`)
	remote.Disconnect(false)
	b1.Expect(`41`)
	a1.Quiet(200 * time.Millisecond)
}

func TestSocketsJoinLeaveDisconnectAcrossNodes(t *testing.T) {
	_, a, b := cluster(t, nil)
	a1, b1, b2 := siotest.Dial(t, a.URL), siotest.Dial(t, b.URL), siotest.Dial(t, b.URL)
	clustertest.Join(b2, "keep")
	a.Sio.Except("keep").SocketsJoin("club")
	clustertest.WaitRoom(t, a.Node, "club", 1)
	clustertest.WaitRoom(t, b.Node, "club", 1)
	a.Sio.In("club").SocketsLeave("club")
	clustertest.WaitRoom(t, a.Node, "club", 0)
	clustertest.WaitRoom(t, b.Node, "club", 0)
	a.Sio.In(b1.ID).DisconnectSockets(false)
	b1.Expect("41")
	a1.Quiet(200 * time.Millisecond)
	b2.Quiet(50 * time.Millisecond)
}

func TestServerSideEmitAcrossNodes(t *testing.T) {
	got := make(chan string, 4)
	_, a, _ := cluster(t, clustertest.OnHello(got))
	clustertest.CheckServerSideEmit(t, a.Node, got)
}

// A node that subscribed but never answers (hung, or killed before it
// could) makes requests time out with Node's errors; nothing hangs.
func TestRequestsTimeOutOnAStalledNode(t *testing.T) {
	r := redistest.Start(t)
	a := startNode(t, r, redis.Options{RequestsTimeout: 500 * time.Millisecond}, nil)
	stalled := goredis.NewClient(&goredis.Options{Addr: r.Addr()})
	defer stalled.Close()
	ps := stalled.Subscribe(context.Background(), "socket.io-request#/#")
	defer ps.Close()
	if _, err := ps.Receive(context.Background()); err != nil {
		t.Fatal(err)
	}
	waitServers(t, 2, a)
	start := time.Now()
	if _, err := a.Sio.FetchSockets(); err == nil || err.Error() != "timeout reached while waiting for fetchSockets response" {
		t.Fatalf("FetchSockets error %v", err)
	}
	if _, err := a.adapter().AllRooms(); !errors.Is(err, redis.ErrAllRoomsTimeout) {
		t.Fatalf("AllRooms error %v", err)
	}
	res := make(chan error, 1)
	_ = a.Sio.ServerSideEmitAck("x", func(err error, r []socketio.Args) { res <- err })
	if err := <-res; err == nil || err.Error() != "timeout reached: only 0 responses received out of 1" {
		t.Fatalf("ServerSideEmit error %v", err)
	}
	if el := time.Since(start); el > 10*time.Second {
		t.Fatalf("requests took %v", el)
	}
}
