package redis_test

import (
	"fmt"
	"log"

	goredis "github.com/redis/go-redis/v9"

	"github.com/sio-fast/sio-fast/adapter/redis"
	"github.com/sio-fast/sio-fast/engineio"
	"github.com/sio-fast/sio-fast/loop"
	"github.com/sio-fast/sio-fast/socketio"
)

// A node of a cluster over Redis Pub/Sub: run several behind a sticky load
// balancer (docs/cluster-haproxy.cfg); Node nodes with
// @socket.io/redis-adapter can join. Compiled, not run: it needs Redis
// (cluster_test.go runs the adapter against a real redis-server).
func ExampleNew() {
	rdb := goredis.NewClient(&goredis.Options{Addr: "127.0.0.1:6379"})
	sio := socketio.NewServer(socketio.Config{NewAdapter: redis.New(rdb, redis.Options{})})
	sio.OnConnection(func(s *socketio.Socket) {
		s.Join("lobby")
		s.On("say", func(s *socketio.Socket, args socketio.Args, _ socketio.AckFunc) {
			text, _ := args.String(0)
			_ = sio.To("lobby").Emit("said", s.ID(), text) // reaches the lobby on every node
		})
	})
	if _, err := loop.Serve("127.0.0.1:3000", sio.NewEngine(engineio.Config{})); err != nil {
		log.Fatal(err)
	}
}

// The same node over sharded Pub/Sub (Redis ≥ 7, Node's
// createShardedAdapter), one channel per room that has members on this
// node. Compiled, not run: it needs Redis (sharded_test.go runs the
// sharded adapter against a real redis-server).
func ExampleNewSharded() {
	rdb := goredis.NewClient(&goredis.Options{Addr: "127.0.0.1:6379"})
	newAdapter, err := redis.NewSharded(rdb, redis.ShardedOptions{SubscriptionMode: redis.SubscribeDynamic})
	if err != nil {
		log.Fatal(err)
	}
	sio := socketio.NewServer(socketio.Config{NewAdapter: newAdapter})
	sio.OnConnection(func(s *socketio.Socket) {
		s.On("join", func(s *socketio.Socket, args socketio.Args, _ socketio.AckFunc) {
			room, _ := args.String(0)
			s.Join(room) // this node subscribes to the room's channel
		})
	})
	if _, err := loop.Serve("127.0.0.1:3000", sio.NewEngine(engineio.Config{})); err != nil {
		log.Fatal(err)
	}
}

// NewSharded checks its options before any connection: an unknown
// subscription mode is an error (no Redis needed, so this one runs).
func ExampleNewSharded_subscriptionMode() {
	rdb := goredis.NewClient(&goredis.Options{Addr: "127.0.0.1:6379"})
	defer rdb.Close()
	_, err := redis.NewSharded(rdb, redis.ShardedOptions{SubscriptionMode: "eager"})
	fmt.Println(err)
	// Output: redis: subscription mode "eager": want static, dynamic or dynamic-private
}
