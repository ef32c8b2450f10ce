package redis_test

import (
	"context"
	"strings"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/sio-fast/sio-fast/adapter/internal/clustertest"
	"github.com/sio-fast/sio-fast/adapter/redis"
	"github.com/sio-fast/sio-fast/internal/redistest"
	"github.com/sio-fast/sio-fast/internal/siotest"
	"github.com/sio-fast/sio-fast/socketio"
)

// shardedNode is a sio-fast node on the sharded adapter.
type shardedNode struct{ *clustertest.Node }

func (n shardedNode) adapter() *redis.Sharded { return n.Sio.Of("/").Adapter().(*redis.Sharded) }

// startSharded runs a sio-fast node on the sharded adapter in mode,
// joined to r (see clustertest.Start).
func startSharded(t testing.TB, r *redistest.Server, mode redis.SubscriptionMode, opts redis.Options, setup func(*socketio.Server)) shardedNode {
	t.Helper()
	opts.RequestsTimeout, opts.Logger = 2*time.Second, quietLog
	return shardedNode{clustertest.Start(t, r, func(rdb *goredis.Client) func(*socketio.Namespace) socketio.Adapter {
		newAdapter, err := redis.NewSharded(rdb, redis.ShardedOptions{Options: opts, SubscriptionMode: mode})
		if err != nil {
			t.Fatal(err)
		}
		return newAdapter
	}, nil, setup)}
}

func shardedCluster(t *testing.T, mode redis.SubscriptionMode, setup func(*socketio.Server)) (*redistest.Server, shardedNode, shardedNode) {
	r := redistest.Start(t)
	a, b := startSharded(t, r, mode, redis.Options{}, setup), startSharded(t, r, mode, redis.Options{}, setup)
	clustertest.WaitServers(t, 2, a.Node, b.Node)
	return r, a, b
}

var subscriptionModes = []redis.SubscriptionMode{redis.SubscribeStatic, redis.SubscribeDynamic, redis.SubscribeDynamicPrivate}

// waitSubscribers waits until Redis counts n subscribers of the shard
// channel. A dynamic room channel is subscribed asynchronously after the
// join on each node (as in Node's adapter), so a broadcast to the room
// reaches every node only once each one's SSUBSCRIBE is through: a
// channel merely listed (PUBSUB SHARDCHANNELS) may have one node of two.
func waitSubscribers(t *testing.T, r *redistest.Server, channel string, n int64) {
	t.Helper()
	rdb := clustertest.NewClient(t, r)
	deadline := time.Now().Add(10 * time.Second)
	for {
		subs, err := rdb.PubSubShardNumSub(context.Background(), channel).Result()
		if err == nil && subs[channel] == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("channel %q has %d subscribers, want %d (%v)", channel, subs[channel], n, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestShardedBroadcastAcrossNodes(t *testing.T) {
	for _, mode := range subscriptionModes {
		t.Run(string(mode), func(t *testing.T) {
			r, a, b := shardedCluster(t, mode, nil)
			c := clustertest.DialClients(t, a.Node, b.Node)
			if mode != redis.SubscribeStatic {
				waitSubscribers(t, r, "socket.io#/#r#", 2) // A1's node and B1's
			}
			if mode == redis.SubscribeDynamicPrivate {
				waitSubscribers(t, r, "socket.io#/#"+c.B2.ID+"#", 1)
			}
			// One room (its own channel in the dynamic modes), with except;
			// the whole namespace from the other node; binary to a socket id
			// (its own channel in dynamic-private), as MessagePack.
			clustertest.CheckBroadcasts(t, a.Node, b.Node, c, c.B2.ID)

			for _, cl := range c.All() {
				cl.Quiet(300 * time.Millisecond)
			}
			clustertest.WaitFor(t, "a's two publishes to be counted", func() bool { return a.adapter().Stats().Published >= 2 })
			if s := a.adapter().Stats(); s.Dropped != 0 {
				t.Fatalf("stats %+v", s)
			}
		})
	}
}

func TestShardedRequestsAcrossNodes(t *testing.T) {
	for _, mode := range subscriptionModes {
		t.Run(string(mode), func(t *testing.T) {
			got := make(chan string, 4)
			r, a, b := shardedCluster(t, mode, clustertest.OnHello(got))
			a1, b1, b2 := siotest.Dial(t, a.URL), siotest.Dial(t, b.URL), siotest.Dial(t, b.URL)
			clustertest.Join(b1, "r")
			if mode == redis.SubscribeDynamicPrivate { // the remote socket's emit goes to b1's own channel
				waitSubscribers(t, r, "socket.io#/#"+b1.ID+"#", 1)
			}

			// fetchSockets across, and a remote socket's emit/join.
			all, err := a.Sio.FetchSockets()
			if err != nil || len(all) != 3 {
				t.Fatalf("FetchSockets = %d sockets, %v", len(all), err)
			}
			clustertest.CheckRemoteSocket(t, a.Node, b.Node, b1)

			// socketsJoin / socketsLeave / disconnectSockets across.
			a.Sio.Except("r").SocketsJoin("club")
			clustertest.WaitRoom(t, a.Node, "club", 1)
			clustertest.WaitRoom(t, b.Node, "club", 1)
			a.Sio.In("club").SocketsLeave("club")
			clustertest.WaitRoom(t, b.Node, "club", 0)

			// serverSideEmit without and with ack: only the other node runs it.
			clustertest.CheckServerSideEmit(t, a.Node, got)

			// Broadcast with ack: every client of both nodes answers.
			clustertest.CheckBroadcastWithAck(t, a.Node, a1, b1, b2)

			a.Sio.In(b2.ID).DisconnectSockets(false)
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
