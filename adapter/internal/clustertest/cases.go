package clustertest

import (
	"context"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/sio-fast/sio-fast/internal/siotest"
	"github.com/sio-fast/sio-fast/socketio"
)

// The checks every cluster adapter's tests run on a two-node cluster, a
// and b. Each fails t when the adapter does not carry the operation.

// Clients are four clients of a two-node cluster: A1 and A2 on a, B1 and
// B2 on b; A1 and B1 joined room "r", B2 joined "x".
type Clients struct{ A1, A2, B1, B2 *siotest.Client }

// DialClients connects the four clients and makes them join their rooms.
func DialClients(t testing.TB, a, b *Node) Clients {
	c := Clients{siotest.Dial(t, a.URL), siotest.Dial(t, a.URL), siotest.Dial(t, b.URL), siotest.Dial(t, b.URL)}
	Join(c.A1, "r")
	Join(c.B1, "r")
	Join(c.B2, "x")
	return c
}

// All are the four clients.
func (c Clients) All() []*siotest.Client { return []*siotest.Client{c.A1, c.A2, c.B1, c.B2} }

// CheckBroadcasts: a room broadcast with except from a reaches A1 and B1;
// a namespace broadcast except "x" from b reaches A1, A2 and B1; binary
// arguments sent from a to binTo (a room or socket id of B2's) keep their
// bytes.
func CheckBroadcasts(t testing.TB, a, b *Node, c Clients, binTo string) {
	t.Helper()
	if err := a.Sio.To("r").Except("x").Emit("ev", 1, "two"); err != nil {
		t.Fatal(err)
	}
	c.A1.Expect(`42["ev",1,"two"]`)
	c.B1.Expect(`42["ev",1,"two"]`)

	_ = b.Sio.Except("x").Emit("all", map[string]any{"k": []any{true, nil, 1.5}})
	for _, cl := range []*siotest.Client{c.A1, c.A2, c.B1} {
		cl.Expect(`42["all",{"k":[true,null,1.5]}]`)
	}

	_ = a.Sio.To(binTo).Emit("bin", []byte{1, 2, 3})
	c.B2.Expect(`451-["bin",{"_placeholder":true,"num":0}]`)
	c.B2.Expect("<bin \x01\x02\x03>")
}

// CheckBroadcastWithAck: a broadcast with ack from a gets the answer of
// a1 (on a), b1 and b2 (on b).
func CheckBroadcastWithAck(t testing.TB, a *Node, a1, b1, b2 *siotest.Client) {
	t.Helper()
	done := make(chan []socketio.Args, 1)
	errc := make(chan error, 1)
	go func() {
		res, err := a.Sio.Timeout(5*time.Second).EmitWithAck(context.Background(), "ask", 7)
		errc <- err
		done <- res
	}()
	Answer(t, a1, "ask", `"a1"`)
	Answer(t, b1, "ask", `"b1",{"more":1}`)
	Answer(t, b2, "ask", `"b2"`)
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

// OnHello is the nodes' setup for CheckServerSideEmit: a server-side
// "hello" handler that reports its argument on got and acks "pong-" and
// the argument.
func OnHello(got chan<- string) func(*socketio.Server) {
	return func(sio *socketio.Server) {
		sio.Of("/").OnServerSideEmit("hello", func(args socketio.Args, ack socketio.AckFunc) {
			got <- Str(args, 0)
			if ack != nil {
				_ = ack("pong-" + Str(args, 0))
			}
		})
	}
}

// CheckServerSideEmit: a serverSideEmit from a, without and then with
// ack, runs on the other node (OnHello's got) and not on a, and the ack
// gets the other node's answer.
func CheckServerSideEmit(t testing.TB, a *Node, got <-chan string) {
	t.Helper()
	if err := a.Sio.ServerSideEmit("hello", "no-ack"); err != nil {
		t.Fatal(err)
	}
	if s := <-got; s != "no-ack" {
		t.Fatalf("got %q", s)
	}
	res := make(chan []socketio.Args, 1)
	_ = a.Sio.ServerSideEmitAck("hello", func(err error, r []socketio.Args) {
		if err != nil {
			t.Error(err)
		}
		res <- r
	}, "with-ack")
	<-got
	if r := <-res; len(r) != 1 || Str(r[0], 0) != "pong-with-ack" {
		t.Fatalf("responses %v", r)
	}
	select {
	case s := <-got:
		t.Fatalf("the sender ran its own handler: %q", s)
	case <-time.After(200 * time.Millisecond):
	}
}

// CheckRemoteSocket: b1, a client of b in room "r" and none other of
// "r", is what a's In("r").FetchSockets returns, as a proxy with its data,
// rooms and handshake, whose Emit reaches b1 and whose Join("joined")
// applies on b. It returns the proxy.
func CheckRemoteSocket(t testing.TB, a, b *Node, b1 *siotest.Client) socketio.RemoteSocket {
	t.Helper()
	b.Sio.Sockets().Socket(b1.ID).SetData(map[string]any{"user": "bob"})
	inR, err := a.Sio.In("r").FetchSockets()
	if err != nil || len(inR) != 1 || inR[0].ID() != b1.ID {
		t.Fatalf("In(r).FetchSockets = %v, %v", inR, err)
	}
	remote := inR[0]
	if d, _ := remote.Data().(map[string]any); d["user"] != "bob" {
		t.Fatalf("data %v", remote.Data())
	}
	if rooms := remote.Rooms(); !slices.Contains(rooms, "r") || !slices.Contains(rooms, b1.ID) {
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
	WaitRoom(t, b, "joined", 1)
	return remote
}
