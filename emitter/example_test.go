package emitter_test

import (
	"context"

	goredis "github.com/redis/go-redis/v9"

	"github.com/sio-fast/sio-fast/emitter"
)

// A backend without a Socket.IO server reaches the clients of every node.
// Compiled, not run: it needs Redis (emitter_test.go runs the emitter
// against a real redis-server).
func ExampleNew() {
	client := goredis.NewClient(&goredis.Options{Addr: "127.0.0.1:6379"})
	defer client.Close()
	e := emitter.New(client, emitter.Options{})
	ctx := context.Background()
	_ = e.To("room1").Except("room2").Emit(ctx, "news", map[string]string{"title": "hello"})
	_ = e.Of("/admin").In("room3").SocketsJoin(ctx, "room4")
	_ = e.In("banned").DisconnectSockets(ctx, true)
}
