package redis_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/sio-fast/sio-fast/adapter/redis"
	"github.com/sio-fast/sio-fast/engineio"
	"github.com/sio-fast/sio-fast/internal/looptest"
	"github.com/sio-fast/sio-fast/internal/redistest"
	"github.com/sio-fast/sio-fast/internal/siotest"
	"github.com/sio-fast/sio-fast/socketio"
)

// node is one sio-fast node of a test cluster.
type node struct {
	sio *socketio.Server
	url string
	rdb *goredis.Client
}

func (n *node) adapter() *redis.Adapter { return n.sio.Of("/").Adapter().(*redis.Adapter) }

var quietLog = slog.New(slog.NewTextHandler(logSink(), nil))

func logSink() io.Writer {
	if os.Getenv("REDIS_TEST_LOG") != "" {
		return os.Stderr
	}
	return io.Discard
}

// startNode runs a sio-fast server joined to r, with a "join" event (ack
// after joining) and whatever setup adds.
func startNode(t testing.TB, r *redistest.Server, opts redis.Options, setup func(*socketio.Server)) *node {
	t.Helper()
	rdb := newClient(t, r)
	if opts.Logger == nil {
		opts.Logger = quietLog
	}
	sio := socketio.NewServer(socketio.Config{NewAdapter: redis.New(rdb, opts), Logger: quietLog})
	sio.OnConnection(func(s *socketio.Socket) {
		s.On("join", func(s *socketio.Socket, args socketio.Args, ack socketio.AckFunc) {
			s.Join(str(args, 0))
			if ack != nil {
				ack()
			}
		})
	})
	if setup != nil {
		setup(sio)
	}
	n := &node{sio: sio, url: serve(t, sio), rdb: rdb}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := n.adapter().WaitReady(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sio.Close() })
	return n
}

func newClient(t testing.TB, r *redistest.Server) *goredis.Client {
	rdb := goredis.NewClient(&goredis.Options{Addr: r.Addr(), DialTimeout: time.Second, MaxRetries: -1})
	t.Cleanup(func() { rdb.Close() })
	return rdb
}

func serve(tb testing.TB, sio *socketio.Server) string {
	return looptest.URL(looptest.Serve(tb, sio.NewEngine(engineio.Config{})))
}

// waitServers waits until every node counts n servers.
func waitServers(t *testing.T, n int, nodes ...*node) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for _, nd := range nodes {
		for nd.adapter().ServerCount() != n {
			if time.Now().After(deadline) {
				t.Fatalf("server count %d, want %d", nd.adapter().ServerCount(), n)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
}

func join(c *siotest.Client, room string) {
	c.Send(`420["join","` + room + `"]`)
	c.Expect("430[]")
}

func cluster(t *testing.T, setup func(*socketio.Server)) (*redistest.Server, *node, *node) {
	r := redistest.Start(t)
	a := startNode(t, r, redis.Options{RequestsTimeout: 2 * time.Second}, setup)
	b := startNode(t, r, redis.Options{RequestsTimeout: 2 * time.Second}, setup)
	waitServers(t, 2, a, b)
	return r, a, b
}

func TestBroadcastAcrossNodes(t *testing.T) {
	_, a, b := cluster(t, nil)
	a1, a2, b1, b2 := siotest.Dial(t, a.url), siotest.Dial(t, a.url), siotest.Dial(t, b.url), siotest.Dial(t, b.url)
	join(a1, "r")
	join(b1, "r")
	join(b2, "x")

	// A single-room broadcast (room channel) with except.
	if err := a.sio.To("r").Except("x").Emit("ev", 1, "two"); err != nil {
		t.Fatal(err)
	}
	a1.Expect(`42["ev",1,"two"]`)
	b1.Expect(`42["ev",1,"two"]`)

	// A namespace broadcast from the other node, except a room of B.
	_ = b.sio.Except("x").Emit("all", map[string]any{"k": []any{true, nil, 1.5}})
	for _, c := range []*siotest.Client{a1, a2, b1} {
		c.Expect(`42["all",{"k":[true,null,1.5]}]`)
	}

	// Binary arguments keep their bytes.
	_ = a.sio.To("x").Emit("bin", []byte{1, 2, 3})
	b2.Expect(`451-["bin",{"_placeholder":true,"num":0}]`)
	b2.Expect("<bin \x01\x02\x03>")

	// Each socket got each broadcast once: its own node ignores its echo.
	for _, c := range []*siotest.Client{a1, a2, b1, b2} {
		c.Quiet(300 * time.Millisecond)
	}
	if s := a.adapter().Stats(); s.Published < 2 || s.Dropped != 0 {
		t.Fatalf("stats %+v", s)
	}
}

func TestLocalBroadcastIsNotPublished(t *testing.T) {
	_, a, b := cluster(t, nil)
	a1, b1 := siotest.Dial(t, a.url), siotest.Dial(t, b.url)
	_ = a.sio.Local().Emit("local", 1)
	a1.Expect(`42["local",1]`)
	b1.Quiet(300 * time.Millisecond)
}

// answer reads a broadcast with ack and answers it with reply.
func answer(t *testing.T, c *siotest.Client, event, reply string) {
	t.Helper()
	m := regexp.MustCompile(`^42(\d+)\["` + event + `"`).FindStringSubmatch(c.Next())
	if m == nil {
		t.Fatalf("no ack request for %s", event)
	}
	c.Send("43" + m[1] + "[" + reply + "]")
}

func TestBroadcastWithAckAcrossNodes(t *testing.T) {
	_, a, b := cluster(t, nil)
	a1, b1, b2 := siotest.Dial(t, a.url), siotest.Dial(t, b.url), siotest.Dial(t, b.url)
	done := make(chan []socketio.Args, 1)
	errc := make(chan error, 1)
	go func() {
		res, err := a.sio.Timeout(5*time.Second).EmitWithAck(context.Background(), "ask", 7)
		errc <- err
		done <- res
	}()
	answer(t, a1, "ask", `"a1"`)
	answer(t, b1, "ask", `"b1",{"more":1}`)
	answer(t, b2, "ask", `"b2"`)
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range <-done {
		got = append(got, string(r.Raw(0)))
	}
	sort.Strings(got)
	if strings.Join(got, ",") != `"a1","b1","b2"` {
		t.Fatalf("responses %v", got)
	}
}

func TestFetchSocketsAcrossNodes(t *testing.T) {
	_, a, b := cluster(t, nil)
	a1, b1 := siotest.Dial(t, a.url), siotest.Dial(t, b.url)
	join(b1, "r")
	b.sio.Sockets().Socket(b1.ID).SetData(map[string]any{"user": "bob"})

	all, err := a.sio.FetchSockets()
	if err != nil || len(all) != 2 {
		t.Fatalf("FetchSockets = %d sockets, %v", len(all), err)
	}
	inR, err := a.sio.In("r").FetchSockets()
	if err != nil || len(inR) != 1 || inR[0].ID() != b1.ID {
		t.Fatalf("In(r).FetchSockets = %v, %v", inR, err)
	}
	remote := inR[0]
	if d, _ := remote.Data().(map[string]any); d["user"] != "bob" {
		t.Fatalf("data %v", remote.Data())
	}
	if rooms := remote.Rooms(); !contains(rooms, "r") || !contains(rooms, b1.ID) {
		t.Fatalf("rooms %v", rooms)
	}
	if hs := remote.Handshake(); hs.Query.Get("EIO") != "4" || hs.Headers.Get("Upgrade") == "" {
		t.Fatalf("handshake %+v", hs)
	}
	if err := remote.Emit("hi", "there"); err != nil {
		t.Fatal(err)
	}
	b1.Expect(`42["hi","there"]`)
	remote.Join("joined")
	waitRoom(t, b, "joined", 1)
	_ = a.sio.To("joined").Emit("in-joined")
	b1.Expect(`42["in-joined"]`)
	remote.Disconnect(false)
	b1.Expect(`41`)
	a1.Quiet(200 * time.Millisecond)
}

func contains(rs []socketio.Room, r string) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}

// waitRoom waits until room has n local sockets on nd.
func waitRoom(t *testing.T, nd *node, room string, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for nd.adapter().Len(room) != n {
		if time.Now().After(deadline) {
			t.Fatalf("room %q has %d sockets, want %d", room, nd.adapter().Len(room), n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestSocketsJoinLeaveDisconnectAcrossNodes(t *testing.T) {
	_, a, b := cluster(t, nil)
	a1, b1, b2 := siotest.Dial(t, a.url), siotest.Dial(t, b.url), siotest.Dial(t, b.url)
	join(b2, "keep")
	a.sio.Except("keep").SocketsJoin("club")
	waitRoom(t, a, "club", 1)
	waitRoom(t, b, "club", 1)
	a.sio.In("club").SocketsLeave("club")
	waitRoom(t, a, "club", 0)
	waitRoom(t, b, "club", 0)
	a.sio.In(b1.ID).DisconnectSockets(false)
	b1.Expect("41")
	a1.Quiet(200 * time.Millisecond)
	b2.Quiet(50 * time.Millisecond)
}

func TestServerSideEmitAcrossNodes(t *testing.T) {
	got := make(chan string, 4)
	setup := func(sio *socketio.Server) {
		sio.Of("/").OnServerSideEmit("hello", func(args socketio.Args, ack socketio.AckFunc) {
			got <- str(args, 0)
			if ack != nil {
				ack("pong-" + str(args, 0))
			}
		})
	}
	_, a, b := cluster(t, setup)
	_ = b
	if err := a.sio.ServerSideEmit("hello", "no-ack"); err != nil {
		t.Fatal(err)
	}
	if s := <-got; s != "no-ack" {
		t.Fatalf("got %q", s)
	}
	res := make(chan []socketio.Args, 1)
	_ = a.sio.ServerSideEmitAck("hello", func(err error, r []socketio.Args) {
		if err != nil {
			t.Error(err)
		}
		res <- r
	}, "with-ack")
	<-got
	r := <-res
	if len(r) != 1 || str(r[0], 0) != "pong-with-ack" {
		t.Fatalf("responses %v", r)
	}
	select {
	case s := <-got:
		t.Fatalf("the sender ran its own handler: %q", s)
	case <-time.After(200 * time.Millisecond):
	}
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
	if _, err := a.sio.FetchSockets(); err == nil || err.Error() != "timeout reached while waiting for fetchSockets response" {
		t.Fatalf("FetchSockets error %v", err)
	}
	if _, err := a.adapter().AllRooms(); !errors.Is(err, redis.ErrAllRoomsTimeout) {
		t.Fatalf("AllRooms error %v", err)
	}
	res := make(chan error, 1)
	_ = a.sio.ServerSideEmitAck("x", func(err error, r []socketio.Args) { res <- err })
	if err := <-res; err == nil || err.Error() != "timeout reached: only 0 responses received out of 1" {
		t.Fatalf("ServerSideEmit error %v", err)
	}
	if el := time.Since(start); el > 10*time.Second {
		t.Fatalf("requests took %v", el)
	}
}

// str is argument i of args when it is a string, "" otherwise.
func str(args socketio.Args, i int) string {
	s, _ := args.String(i)
	return s
}
