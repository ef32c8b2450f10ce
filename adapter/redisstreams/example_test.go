package redisstreams_test

import (
	"log"

	goredis "github.com/redis/go-redis/v9"

	"github.com/sio-fast/sio-fast/adapter/redisstreams"
	"github.com/sio-fast/sio-fast/engineio"
	"github.com/sio-fast/sio-fast/loop"
	"github.com/sio-fast/sio-fast/socketio"
)

// A node of a cluster over a Redis stream, with connection state recovery
// across nodes: run several behind a sticky load balancer (Node nodes with
// @socket.io/redis-streams-adapter can join). Compiled, not run: it needs
// Redis (cluster_test.go runs the adapter against a real redis-server).
func ExampleNew() {
	rdb := goredis.NewClient(&goredis.Options{Addr: "127.0.0.1:6379"})
	sio := socketio.NewServer(socketio.Config{
		NewAdapter: redisstreams.New(rdb, redisstreams.Options{}),
		Recovery:   socketio.DefaultRecovery(),
	})
	sio.OnConnection(func(s *socketio.Socket) {
		if !s.Recovered() {
			s.Join("lobby")
		}
		s.On("say", func(s *socketio.Socket, args socketio.Args, _ socketio.AckFunc) {
			text, _ := args.String(0)
			_ = sio.To("lobby").Emit("said", s.ID(), text) // reaches the lobby on every node
		})
	})
	if _, err := loop.Serve("127.0.0.1:3000", sio.NewEngine(engineio.Config{})); err != nil {
		log.Fatal(err)
	}
}
