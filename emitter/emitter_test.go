package emitter_test

import (
	"context"
	"encoding/hex"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/sio-fast/sio-fast/emitter"
	"github.com/sio-fast/sio-fast/internal/redistest"
)

// listen subscribes to pattern and returns the messages received.
func listen(t *testing.T, rdb *goredis.Client, pattern string) <-chan *goredis.Message {
	t.Helper()
	ps := rdb.PSubscribe(context.Background(), pattern)
	t.Cleanup(func() { ps.Close() })
	if _, err := ps.Receive(context.Background()); err != nil {
		t.Fatal(err)
	}
	return ps.Channel()
}

func next(t *testing.T, ch <-chan *goredis.Message) *goredis.Message {
	t.Helper()
	select {
	case m := <-ch:
		return m
	case <-time.After(10 * time.Second):
		t.Fatal("nothing published")
	}
	return nil
}

// The bytes on the wire are those captured from @socket.io/redis-emitter
// (features.md 2.2), and so are the channels and the JSON commands.
func TestWireFormat(t *testing.T) {
	r := redistest.Start(t)
	rdb := goredis.NewClient(&goredis.Options{Addr: r.Addr()})
	defer rdb.Close()
	msgs := listen(t, rdb, "socket.io*")
	ctx := context.Background()
	e := emitter.New(rdb, emitter.Options{})

	if err := e.To("room1").Emit(ctx, "hello", "world", map[string]int{"a": 1}); err != nil {
		t.Fatal(err)
	}
	m := next(t, msgs)
	want := "93a7656d6974746572" + "83a47479706502a464617461" + "93a568656c6c6fa5776f726c6481a16101" + "a36e7370a12f" +
		"83a5726f6f6d7391a5726f6f6d31a5666c61677380a6657863657074" + "90"
	if m.Channel != "socket.io#/#room1#" || hex.EncodeToString([]byte(m.Payload)) != want {
		t.Fatalf("%s %x\nwant %s", m.Channel, m.Payload, want)
	}

	if err := e.Of("chat").Except("a").SocketsJoin(ctx, "b"); err != nil {
		t.Fatal(err)
	}
	if m := next(t, msgs); m.Channel != "socket.io-request#/chat#" || m.Payload != `{"type":2,"opts":{"rooms":[],"except":["a"]},"rooms":["b"]}` {
		t.Fatalf("%s %s", m.Channel, m.Payload)
	}
	if err := e.In("r").DisconnectSockets(ctx, true); err != nil {
		t.Fatal(err)
	}
	if m := next(t, msgs); m.Payload != `{"type":4,"opts":{"rooms":["r"],"except":[]},"close":true}` {
		t.Fatalf("%s", m.Payload)
	}
	if err := e.ServerSideEmit(ctx, "ping", 1); err != nil {
		t.Fatal(err)
	}
	if m := next(t, msgs); m.Payload != `{"uid":"emitter","type":6,"data":["ping",1]}` {
		t.Fatalf("%s", m.Payload)
	}
	if err := e.Volatile().Compress(false).To("a", "b").Emit(ctx, "x", []byte{9}); err != nil {
		t.Fatal(err)
	}
	m = next(t, msgs)
	if m.Channel != "socket.io#/#" || hex.EncodeToString([]byte(m.Payload)) != "93a7656d6974746572"+"83a47479706502a46461746192a178c40109a36e7370a12f"+
		"83a5726f6f6d7392a161a162a5666c61677382a8766f6c6174696c65c3a8636f6d7072657373c2a6657863657074"+"90" {
		t.Fatalf("%s %x", m.Channel, m.Payload)
	}
	if err := e.Emit(ctx, "disconnect"); err != emitter.ErrReservedEvent {
		t.Fatalf("reserved event: %v", err)
	}
}
