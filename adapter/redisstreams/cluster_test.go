package redisstreams_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/sio-fast/sio-fast/adapter/internal/clustertest"
	"github.com/sio-fast/sio-fast/adapter/redisstreams"
	"github.com/sio-fast/sio-fast/internal/redistest"
	"github.com/sio-fast/sio-fast/internal/siotest"
	"github.com/sio-fast/sio-fast/socketio"
)

// node is one sio-fast node on the Streams adapter (or another, with
// startNodeWith).
type node struct{ *clustertest.Node }

func (n node) adapter() *redisstreams.Adapter {
	return n.Sio.Of("/").Adapter().(*redisstreams.Adapter)
}

var quietLog = clustertest.Log

// startNode runs a sio-fast node on the Streams adapter, joined to r, with
// recovery when rec is set (see clustertest.Start).
func startNode(t testing.TB, r *redistest.Server, rec *socketio.Recovery, setup func(*socketio.Server)) node {
	t.Helper()
	return startNodeWith(t, r, rec, setup, func(rdb *goredis.Client) func(*socketio.Namespace) socketio.Adapter {
		return redisstreams.New(rdb, redisstreams.Options{Logger: quietLog, RequestsTimeout: 2 * time.Second, BlockTime: time.Second})
	})
}

// startNodeWith is startNode with another cluster adapter.
func startNodeWith(t testing.TB, r *redistest.Server, rec *socketio.Recovery, setup func(*socketio.Server), newAdapter clustertest.NewAdapter) node {
	t.Helper()
	return node{clustertest.Start(t, r, newAdapter, rec, setup)}
}

func cluster(t *testing.T, rec *socketio.Recovery, setup func(*socketio.Server)) (*redistest.Server, node, node) {
	r := redistest.Start(t)
	a := startNode(t, r, rec, setup)
	b := startNode(t, r, rec, setup)
	clustertest.WaitServers(t, 2, a.Node, b.Node)
	return r, a, b
}

func TestBroadcastAcrossNodes(t *testing.T) {
	_, a, b := cluster(t, nil, nil)
	c := clustertest.DialClients(t, a.Node, b.Node)
	// Binary arguments travel as base64 MessagePack and keep their bytes.
	clustertest.CheckBroadcasts(t, a.Node, b.Node, c, "x")

	// socketsJoin across, then a broadcast to the joined room: both go
	// through the stream, in order.
	a.Sio.In(c.B2.ID).SocketsJoin("late")
	_ = a.Sio.To("late").Emit("late")
	c.B2.Expect(`42["late"]`)

	for _, cl := range c.All() {
		cl.Quiet(300 * time.Millisecond)
	}
	// a counts its XADDs once Redis answered and reads the entries on its
	// reader's own time, both possibly after b2 got "late".
	clustertest.WaitFor(t, "a's four writes and entries to be counted", func() bool {
		s := a.adapter().Stats()
		return s.Published >= 4 && s.Entries >= 4
	})
	if s := a.adapter().Stats(); s.Dropped != 0 {
		t.Fatalf("stats %+v", s)
	}
}

func TestRequestsAcrossNodes(t *testing.T) {
	got := make(chan string, 4)
	_, a, b := cluster(t, nil, clustertest.OnHello(got))
	a1, b1, b2 := siotest.Dial(t, a.URL), siotest.Dial(t, b.URL), siotest.Dial(t, b.URL)
	clustertest.Join(b1, "r")
	clustertest.CheckRemoteSocket(t, a.Node, b.Node, b1)
	all, err := b.Sio.FetchSockets()
	if err != nil || len(all) != 3 {
		t.Fatalf("fetchSockets all %d %v", len(all), err)
	}

	clustertest.CheckServerSideEmit(t, a.Node, got)

	// A broadcast with ack across: every client answers.
	clustertest.CheckBroadcastWithAck(t, a.Node, a1, b1, b2)
}

// TestRecoveryOnOtherNode drops a client of node A and reconnects it to
// node B: it gets its id and rooms back, the broadcasts of both nodes it
// missed (in stream order, each with its entry id as offset), and live
// broadcasts afterwards.
func TestRecoveryOnOtherNode(t *testing.T) {
	r, a, b := cluster(t, socketio.DefaultRecovery(), nil)
	c := siotest.Dial(t, a.URL)
	if c.PID == "" {
		t.Fatal("no pid in the CONNECT reply")
	}
	clustertest.Join(c, "r")
	_ = a.Sio.To("r").Emit("e1", 1)
	first := c.Next()
	m := regexp.MustCompile(`^42\["e1",1,"(\d+-\d+)"\]$`).FindStringSubmatch(first)
	if m == nil {
		t.Fatalf("first broadcast %q has no stream offset", first)
	}
	c.Close()
	waitKey(t, r, "sio:session:"+c.PID)

	// One after the other: the stream orders what the nodes write.
	_ = b.Sio.To("r").Emit("e2", "missed on B")
	waitEntries(t, b, 2)
	_ = a.Sio.Emit("e3", "missed on A")
	waitEntries(t, b, 3)
	_ = a.Sio.To("other").Emit("e4", "not for it")
	_ = b.Sio.Except("r").Emit("e5", "not for it")
	waitEntries(t, b, 5)

	c2 := siotest.DialAuth(t, b.URL, `{"pid":"`+c.PID+`","offset":"`+m[1]+`"}`)
	if c2.ID != c.ID {
		t.Fatalf("recovered id %q, want %q", c2.ID, c.ID)
	}
	expectEvent(t, c2, `42["e2","missed on B","`)
	expectEvent(t, c2, `42["e3","missed on A","`)
	_ = a.Sio.To("r").Emit("live")
	expectEvent(t, c2, `42["live","`)
	c2.Quiet(300 * time.Millisecond)
	if n, _ := r.Do("EXISTS", "sio:session:"+c.PID); n != ":0" {
		t.Fatalf("session key still there after the restore: %s", n)
	}

	// The pid is used up: a second attempt gets a fresh socket.
	c3 := siotest.DialAuth(t, a.URL, `{"pid":"`+c.PID+`","offset":"`+m[1]+`"}`)
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
func waitEntries(t *testing.T, n node, want uint64) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for n.adapter().Stats().Entries < want {
		if time.Now().After(deadline) {
			t.Fatalf("stats %+v, want %d entries", n.adapter().Stats(), want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
