package redis_test

import (
	"context"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/sio-fast/sio-fast/adapter/redis"
	"github.com/sio-fast/sio-fast/internal/redistest"
	"github.com/sio-fast/sio-fast/internal/siotest"
	"github.com/sio-fast/sio-fast/socketio"
)

// shardedNode is a sio-fast node on the sharded adapter.
type shardedNode struct {
	sio *socketio.Server
	url string
}

func (n *shardedNode) adapter() *redis.Sharded { return n.sio.Of("/").Adapter().(*redis.Sharded) }

func startSharded(t testing.TB, r *redistest.Server, mode redis.SubscriptionMode, opts redis.Options, setup func(*socketio.Server)) *shardedNode {
	t.Helper()
	opts.RequestsTimeout, opts.Logger = 2*time.Second, quietLog
	newAdapter, err := redis.NewSharded(newClient(t, r), redis.ShardedOptions{Options: opts, SubscriptionMode: mode})
	if err != nil {
		t.Fatal(err)
	}
	sio := socketio.NewServer(socketio.Config{NewAdapter: newAdapter, Logger: quietLog})
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
	n := &shardedNode{sio: sio, url: serve(t, sio)}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := n.adapter().WaitReady(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sio.Close() })
	return n
}

func shardedCluster(t *testing.T, mode redis.SubscriptionMode, setup func(*socketio.Server)) (*redistest.Server, *shardedNode, *shardedNode) {
	r := redistest.Start(t)
	a, b := startSharded(t, r, mode, redis.Options{}, setup), startSharded(t, r, mode, redis.Options{}, setup)
	deadline := time.Now().Add(10 * time.Second)
	for a.adapter().ServerCount() != 2 || b.adapter().ServerCount() != 2 {
		if time.Now().After(deadline) {
			t.Fatalf("server counts %d, %d, want 2", a.adapter().ServerCount(), b.adapter().ServerCount())
		}
		time.Sleep(20 * time.Millisecond)
	}
	return r, a, b
}

var subscriptionModes = []redis.SubscriptionMode{redis.SubscribeStatic, redis.SubscribeDynamic, redis.SubscribeDynamicPrivate}

// waitSubscribed waits until Redis lists channel among the shard channels
// (a dynamic room channel is subscribed asynchronously after the join).
func waitSubscribed(t *testing.T, r *redistest.Server, channel string) {
	t.Helper()
	rdb := newClient(t, r)
	deadline := time.Now().Add(10 * time.Second)
	for {
		chs, err := rdb.PubSubShardChannels(context.Background(), channel).Result()
		if err == nil && len(chs) == 1 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("channel %q not subscribed (%v, %v)", channel, chs, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestShardedBroadcastAcrossNodes(t *testing.T) {
	for _, mode := range subscriptionModes {
		t.Run(string(mode), func(t *testing.T) {
			r, a, b := shardedCluster(t, mode, nil)
			a1, a2, b1, b2 := siotest.Dial(t, a.url), siotest.Dial(t, a.url), siotest.Dial(t, b.url), siotest.Dial(t, b.url)
			join(a1, "r")
			join(b1, "r")
			join(b2, "x")
			if mode != redis.SubscribeStatic {
				waitSubscribed(t, r, "socket.io#/#r#")
			}
			if mode == redis.SubscribeDynamicPrivate {
				waitSubscribed(t, r, "socket.io#/#"+b2.ID+"#")
			}

			// One room (its own channel in the dynamic modes), with except.
			_ = a.sio.To("r").Except("x").Emit("ev", 1, "two")
			a1.Expect(`42["ev",1,"two"]`)
			b1.Expect(`42["ev",1,"two"]`)

			// The whole namespace from the other node, except a room.
			_ = b.sio.Except("x").Emit("all", map[string]any{"k": []any{true, nil, 1.5}})
			for _, c := range []*siotest.Client{a1, a2, b1} {
				c.Expect(`42["all",{"k":[true,null,1.5]}]`)
			}

			// A socket id (its own channel in dynamic-private), binary (msgpack).
			_ = a.sio.To(b2.ID).Emit("bin", []byte{1, 2, 3})
			b2.Expect(`451-["bin",{"_placeholder":true,"num":0}]`)
			b2.Expect("<bin \x01\x02\x03>")

			for _, c := range []*siotest.Client{a1, a2, b1, b2} {
				c.Quiet(300 * time.Millisecond)
			}
			if s := a.adapter().Stats(); s.Published < 2 || s.Dropped != 0 {
				t.Fatalf("stats %+v", s)
			}
		})
	}
}

func TestShardedRequestsAcrossNodes(t *testing.T) {
	for _, mode := range subscriptionModes {
		t.Run(string(mode), func(t *testing.T) {
			got := make(chan string, 4)
			setup := func(sio *socketio.Server) {
				sio.Of("/").OnServerSideEmit("hello", func(args socketio.Args, ack socketio.AckFunc) {
					got <- str(args, 0)
					if ack != nil {
						ack("pong-" + str(args, 0))
					}
				})
			}
			_, a, b := shardedCluster(t, mode, setup)
			a1, b1, b2 := siotest.Dial(t, a.url), siotest.Dial(t, b.url), siotest.Dial(t, b.url)
			join(b1, "r")
			b.sio.Sockets().Socket(b1.ID).SetData(map[string]any{"user": "bob"})

			// fetchSockets across, and a remote socket's emit/join.
			all, err := a.sio.FetchSockets()
			if err != nil || len(all) != 3 {
				t.Fatalf("FetchSockets = %d sockets, %v", len(all), err)
			}
			inR, err := a.sio.In("r").FetchSockets()
			if err != nil || len(inR) != 1 || inR[0].ID() != b1.ID {
				t.Fatalf("In(r).FetchSockets = %v, %v", inR, err)
			}
			if d, _ := inR[0].Data().(map[string]any); d["user"] != "bob" {
				t.Fatalf("remote data %v", inR[0].Data())
			}
			_ = inR[0].Emit("direct", "hi")
			b1.Expect(`42["direct","hi"]`)
			inR[0].Join("vip")
			waitRoomSharded(t, b, "vip", 1)

			// socketsJoin / socketsLeave / disconnectSockets across.
			a.sio.Except("r").SocketsJoin("club")
			waitRoomSharded(t, a, "club", 1)
			waitRoomSharded(t, b, "club", 1)
			a.sio.In("club").SocketsLeave("club")
			waitRoomSharded(t, b, "club", 0)

			// serverSideEmit without and with ack: only the other node runs it.
			_ = a.sio.ServerSideEmit("hello", "no-ack")
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
			if r := <-res; len(r) != 1 || str(r[0], 0) != "pong-with-ack" {
				t.Fatalf("responses %v", r)
			}

			// Broadcast with ack: every client of both nodes answers.
			done := make(chan []socketio.Args, 1)
			go func() {
				res, err := a.sio.Timeout(5*time.Second).EmitWithAck(context.Background(), "ask", 7)
				if err != nil {
					t.Error(err)
				}
				done <- res
			}()
			answer(t, a1, "ask", `"a1"`)
			answer(t, b1, "ask", `"b1"`)
			answer(t, b2, "ask", `"b2"`)
			var replies []string
			for _, r := range <-done {
				replies = append(replies, string(r.Raw(0)))
			}
			sort.Strings(replies)
			if strings.Join(replies, ",") != `"a1","b1","b2"` {
				t.Fatalf("responses %v", replies)
			}

			a.sio.In(b2.ID).DisconnectSockets(false)
			b2.Expect("41")
			select {
			case s := <-got:
				t.Fatalf("the sender ran its own handler: %q", s)
			case <-time.After(100 * time.Millisecond):
			}
		})
	}
}

func TestNewShardedRefusesAnUnknownMode(t *testing.T) {
	if _, err := redis.NewSharded(nil, redis.ShardedOptions{SubscriptionMode: "eager"}); err == nil ||
		!strings.Contains(err.Error(), `"eager"`) {
		t.Fatalf("err = %v", err)
	}
}

func waitRoomSharded(t *testing.T, nd *shardedNode, room string, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for nd.adapter().Len(room) != n {
		if time.Now().After(deadline) {
			t.Fatalf("room %q has %d sockets, want %d", room, nd.adapter().Len(room), n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
