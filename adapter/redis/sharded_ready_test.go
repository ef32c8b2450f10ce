package redis

import (
	"context"
	"errors"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/sio-fast/sio-fast/adapter/internal/clustertest"
	"github.com/sio-fast/sio-fast/internal/redistest"
	"github.com/sio-fast/sio-fast/socketio"
)

// Room channels (dynamic modes) are subscribed by a goroutine of their
// own, on the same connection, and may be confirmed before the adapter's
// own channels (sockets joining as the node starts): their confirmations
// do not make it ready, nor does anything but its own channels'.
func TestShardedReadyWaitsForItsOwnChannels(t *testing.T) {
	r := redistest.Start(t)
	newAdapter, err := NewSharded(clustertest.NewClient(t, r), ShardedOptions{Options: Options{Logger: clustertest.Log}})
	if err != nil {
		t.Fatal(err)
	}
	held := make(chan *goredis.PubSub, 1)
	var a *Sharded
	sio := socketio.NewServer(socketio.Config{Logger: clustertest.Log, NewAdapter: func(nsp *socketio.Namespace) socketio.Adapter {
		a = newAdapter(nsp).(*Sharded)
		// Sent, as far as the receiver knows, but not yet through.
		a.subscribe = func(ps *goredis.PubSub) error { held <- ps; return nil }
		return a
	}})
	t.Cleanup(func() { _ = sio.Close() })
	ps := <-held

	rdb := clustertest.NewClient(t, r)
	rooms := []string{a.dynamicChannel("r"), a.dynamicChannel("s")}
	for _, ch := range rooms {
		a.rooms.push(roomSubscription{channel: ch, subscribe: true})
	}
	clustertest.WaitFor(t, "the room channels to be subscribed", func() bool {
		n, err := rdb.PubSubShardNumSub(context.Background(), rooms...).Result()
		return err == nil && n[rooms[0]] == 1 && n[rooms[1]] == 1
	})
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if err := a.WaitReady(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("ready (%v) with only room channels confirmed", err)
	}

	if err := ps.SSubscribe(context.Background(), a.channel, a.response); err != nil {
		t.Fatal(err)
	}
	ctx, cancel = context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := a.WaitReady(ctx); err != nil {
		t.Fatalf("not ready once its channels are confirmed: %v", err)
	}
}
