package redisstreams_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/sio-fast/sio-fast/adapter/redisstreams"
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

func (n *node) adapter() *redisstreams.Adapter {
	return n.sio.Of("/").Adapter().(*redisstreams.Adapter)
}

var quietLog = slog.New(slog.NewTextHandler(logSink(), nil))

func logSink() io.Writer {
	if os.Getenv("REDIS_TEST_LOG") != "" {
		return os.Stderr
	}
	return io.Discard
}

// startNode runs a sio-fast server joined to r, with a "join" event (ack
// after joining), recovery when rec is set, and whatever setup adds.
func startNode(t testing.TB, r *redistest.Server, rec *socketio.Recovery, setup func(*socketio.Server)) *node {
	t.Helper()
	return startNodeWith(t, r, rec, setup, func(rdb *goredis.Client) func(*socketio.Namespace) socketio.Adapter {
		return redisstreams.New(rdb, redisstreams.Options{Logger: quietLog, RequestsTimeout: 2 * time.Second, BlockTime: time.Second})
	})
}

// readyAdapter is what startNodeWith waits for.
type readyAdapter interface {
	WaitReady(ctx context.Context) error
}

// startNodeWith is startNode with another cluster adapter.
func startNodeWith(t testing.TB, r *redistest.Server, rec *socketio.Recovery, setup func(*socketio.Server),
	newAdapter func(*goredis.Client) func(*socketio.Namespace) socketio.Adapter) *node {
	t.Helper()
	rdb := goredis.NewClient(&goredis.Options{Addr: r.Addr(), DialTimeout: time.Second, MaxRetries: -1})
	t.Cleanup(func() { rdb.Close() })
	sio := socketio.NewServer(socketio.Config{NewAdapter: newAdapter(rdb), Logger: quietLog, Recovery: rec})
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
	n := &node{sio: sio, url: looptest.URL(looptest.Serve(t, sio.NewEngine(engineio.Config{}))), rdb: rdb}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := n.sio.Of("/").Adapter().(readyAdapter).WaitReady(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sio.Close() })
	return n
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

func cluster(t *testing.T, rec *socketio.Recovery, setup func(*socketio.Server)) (*redistest.Server, *node, *node) {
	r := redistest.Start(t)
	a := startNode(t, r, rec, setup)
	b := startNode(t, r, rec, setup)
	waitServers(t, 2, a, b)
	return r, a, b
}

func TestBroadcastAcrossNodes(t *testing.T) {
	_, a, b := cluster(t, nil, nil)
	a1, a2, b1, b2 := siotest.Dial(t, a.url), siotest.Dial(t, a.url), siotest.Dial(t, b.url), siotest.Dial(t, b.url)
	join(a1, "r")
	join(b1, "r")
	join(b2, "x")

	_ = a.sio.To("r").Except("x").Emit("ev", 1, "two")
	a1.Expect(`42["ev",1,"two"]`)
	b1.Expect(`42["ev",1,"two"]`)

	_ = b.sio.Except("x").Emit("all", map[string]any{"k": []any{true, nil, 1.5}})
	for _, c := range []*siotest.Client{a1, a2, b1} {
		c.Expect(`42["all",{"k":[true,null,1.5]}]`)
	}

	// Binary arguments travel as base64 MessagePack and keep their bytes.
	_ = a.sio.To("x").Emit("bin", []byte{1, 2, 3})
	b2.Expect(`451-["bin",{"_placeholder":true,"num":0}]`)
	b2.Expect("<bin \x01\x02\x03>")

	// socketsJoin across, then a broadcast to the joined room: both go
	// through the stream, in order.
	a.sio.In(b2.ID).SocketsJoin("late")
	_ = a.sio.To("late").Emit("late")
	b2.Expect(`42["late"]`)

	for _, c := range []*siotest.Client{a1, a2, b1, b2} {
		c.Quiet(300 * time.Millisecond)
	}
	if s := a.adapter().Stats(); s.Published < 4 || s.Dropped != 0 || s.Entries < 4 {
		t.Fatalf("stats %+v", s)
	}
}

func TestRequestsAcrossNodes(t *testing.T) {
	_, a, b := cluster(t, nil, func(sio *socketio.Server) {
		sio.Of("/").OnServerSideEmit("ping", func(args socketio.Args, ack socketio.AckFunc) {
			if ack != nil {
				_ = ack("pong:" + str(args, 0))
			}
		})
	})
	a1, b1 := siotest.Dial(t, a.url), siotest.Dial(t, b.url)
	join(b1, "r")

	sockets, err := a.sio.In("r").FetchSockets()
	if err != nil || len(sockets) != 1 || sockets[0].ID() != b1.ID {
		t.Fatalf("fetchSockets %v %v", sockets, err)
	}
	if err := sockets[0].Emit("direct", "x"); err != nil {
		t.Fatal(err)
	}
	b1.Expect(`42["direct","x"]`)
	all, err := b.sio.FetchSockets()
	if err != nil || len(all) != 2 {
		t.Fatalf("fetchSockets all %d %v", len(all), err)
	}

	got := make(chan []socketio.Args, 1)
	_ = a.sio.ServerSideEmitAck("ping", func(err error, res []socketio.Args) {
		if err != nil {
			t.Error(err)
		}
		got <- res
	}, "a")
	select {
	case res := <-got:
		if len(res) != 1 || str(res[0], 0) != "pong:a" {
			t.Fatalf("serverSideEmit answers %v", res)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no serverSideEmit answer")
	}

	// A broadcast with ack across: both clients answer.
	acks := make(chan int, 1)
	_ = a.sio.Timeout(5*time.Second).EmitAck("q", func(err error, res []socketio.Args) { acks <- len(res) })
	for _, c := range []*siotest.Client{a1, b1} {
		p := c.Next()
		id := regexp.MustCompile(`^42(\d+)\["q"\]$`).FindStringSubmatch(p)
		if id == nil {
			t.Fatalf("ack request %q", p)
		}
		c.Send("43" + id[1] + `["ok"]`)
	}
	select {
	case n := <-acks:
		if n != 2 {
			t.Fatalf("%d acks, want 2", n)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("broadcast ack did not complete")
	}
}

// TestRecoveryOnOtherNode drops a client of node A and reconnects it to
// node B: it gets its id and rooms back, the broadcasts of both nodes it
// missed (in stream order, each with its entry id as offset), and live
// broadcasts afterwards.
func TestRecoveryOnOtherNode(t *testing.T) {
	r, a, b := cluster(t, socketio.DefaultRecovery(), nil)
	c := siotest.Dial(t, a.url)
	if c.PID == "" {
		t.Fatal("no pid in the CONNECT reply")
	}
	join(c, "r")
	_ = a.sio.To("r").Emit("e1", 1)
	first := c.Next()
	m := regexp.MustCompile(`^42\["e1",1,"(\d+-\d+)"\]$`).FindStringSubmatch(first)
	if m == nil {
		t.Fatalf("first broadcast %q has no stream offset", first)
	}
	c.Close()
	waitKey(t, r, "sio:session:"+c.PID)

	// One after the other: the stream orders what the nodes write.
	_ = b.sio.To("r").Emit("e2", "missed on B")
	waitEntries(t, b, 2)
	_ = a.sio.Emit("e3", "missed on A")
	waitEntries(t, b, 3)
	_ = a.sio.To("other").Emit("e4", "not for it")
	_ = b.sio.Except("r").Emit("e5", "not for it")
	waitEntries(t, b, 5)

	c2 := siotest.DialAuth(t, b.url, `{"pid":"`+c.PID+`","offset":"`+m[1]+`"}`)
	if c2.ID != c.ID {
		t.Fatalf("recovered id %q, want %q", c2.ID, c.ID)
	}
	expectEvent(t, c2, `42["e2","missed on B","`)
	expectEvent(t, c2, `42["e3","missed on A","`)
	_ = a.sio.To("r").Emit("live")
	expectEvent(t, c2, `42["live","`)
	c2.Quiet(300 * time.Millisecond)
	if n, _ := r.Do("EXISTS", "sio:session:"+c.PID); n != ":0" {
		t.Fatalf("session key still there after the restore: %s", n)
	}

	// The pid is used up: a second attempt gets a fresh socket.
	c3 := siotest.DialAuth(t, a.url, `{"pid":"`+c.PID+`","offset":"`+m[1]+`"}`)
	if c3.ID == c.ID {
		t.Fatal("a session was restored twice")
	}
}

func expectEvent(t *testing.T, c *siotest.Client, prefix string) {
	t.Helper()
	if p := c.Next(); !strings.HasPrefix(p, prefix) || !regexp.MustCompile(`"\d+-\d+"\]$`).MatchString(p) {
		t.Fatalf("got %q, want %s...<offset>]", p, prefix)
	}
}

// waitKey waits until key exists in r.
func waitKey(t *testing.T, r *redistest.Server, key string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if n, _ := r.Do("EXISTS", key); n == ":1" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s never stored", key)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitEntries waits until n has read at least want stream entries.
func waitEntries(t *testing.T, n *node, want uint64) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for n.adapter().Stats().Entries < want {
		if time.Now().After(deadline) {
			t.Fatalf("stats %+v, want %d entries", n.adapter().Stats(), want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// str is argument i of args when it is a string, "" otherwise.
func str(args socketio.Args, i int) string {
	s, _ := args.String(i)
	return s
}
