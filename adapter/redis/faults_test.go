package redis_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/sio-fast/sio-fast/adapter/internal/clustertest"
	"github.com/sio-fast/sio-fast/adapter/redis"
	"github.com/sio-fast/sio-fast/internal/redistest"
	"github.com/sio-fast/sio-fast/internal/scripttest"
	"github.com/sio-fast/sio-fast/internal/siotest"
	"github.com/sio-fast/sio-fast/socketio"
)

// Redis killed and restarted mid-test: each node keeps serving its own
// clients, logs the outage once, resubscribes when Redis is back, and the
// cluster works again. What was published meanwhile is lost (counted).
func TestRedisRestart(t *testing.T) {
	r := redistest.Start(t)
	var logs scripttest.LockedBuffer
	logger := slog.New(slog.NewTextHandler(&logs, nil))
	a := startNode(t, r, redis.Options{Logger: logger}, nil)
	b := startNode(t, r, redis.Options{Logger: logger}, nil)
	waitServers(t, 2, a, b)
	a1, b1 := siotest.Dial(t, a.URL), siotest.Dial(t, b.URL)

	r.Kill()
	_ = a.Sio.Emit("during", 1)
	a1.Expect(`42["during",1]`) // local clients are still served
	clustertest.WaitFor(t, "the lost publish to be counted", func() bool { return a.adapter().Stats().PublishDropped >= 1 })
	clustertest.WaitFor(t, "the outage to be noticed", func() bool { return strings.Count(logs.String(), "subscription lost") == 2 })
	time.Sleep(300 * time.Millisecond) // several failed reconnection attempts
	b1.Quiet(50 * time.Millisecond)    // lost: Pub/Sub keeps nothing

	r.Restart()
	clustertest.WaitFor(t, "both subscriptions to come back", func() bool {
		return a.adapter().Stats().Reconnects == 1 && b.adapter().Stats().Reconnects == 1
	})
	waitServers(t, 2, a, b)
	_ = a.Sio.Emit("after", 2)
	a1.Expect(`42["after",2]`)
	b1.Expect(`42["after",2]`)
	_ = b.Sio.Emit("back", 3)
	a1.Expect(`42["back",3]`)
	b1.Expect(`42["back",3]`)
	out := logs.String()
	if n := strings.Count(out, "subscription lost"); n != 2 {
		t.Fatalf("%d outage lines, want one per node:\n%s", n, out)
	}
	if n := strings.Count(out, "subscription restored"); n != 2 {
		t.Fatalf("%d restore lines:\n%s", n, out)
	}
}

// Garbage, messages of the wrong shape and oversized messages on every
// channel are dropped and counted; the node keeps working.
func TestBadMessagesAreDropped(t *testing.T) {
	r := redistest.Start(t)
	var logs scripttest.LockedBuffer
	a := startNode(t, r, redis.Options{MaxMessageBytes: 512, Logger: slog.New(slog.NewTextHandler(&logs, nil))}, nil)
	a1 := siotest.Dial(t, a.URL)
	clustertest.Join(a1, "room")
	bad := []struct{ channel, payload string }{
		{"socket.io#/#", "garbage"},
		{"socket.io#/#", "\x93\x01\x02\x03"},                                     // [1, 2, 3]
		{"socket.io#/#", "\x93\xa1u\x81\xa4data\xa1x\x80"},                       // data is not an array
		{"socket.io#/#room#", "\x93\xa1u\x81\xa4data\x91\xa1e\x81\xa5rooms\x07"}, // rooms is not an array
		{"socket.io#/#", "\xc1"},                                                 // never-used code
		{"socket.io#/#", "\xdd\xff\xff\xff\xff"},                                 // huge claimed array
		{"socket.io#/#", strings.Repeat("x", 600)},                               // oversized
		{"socket.io-request#/#", "{not json"},
		{"socket.io-request#/#", `{"type":"seven"}`},
		{"socket.io-request#/#", `{"type":99}`},
		{"socket.io-request#/#", "\x81\xa4type\x07"}, // BROADCAST without packet
		{"socket.io-response#/#", "{broken"},
		{"socket.io-response#/#", "\x92\x01"},
	}
	for _, m := range bad {
		if err := a.RDB.Publish(context.Background(), m.channel, m.payload).Err(); err != nil {
			t.Fatal(err)
		}
	}
	clustertest.WaitFor(t, "every bad message to be dropped", func() bool { return a.adapter().Stats().Dropped == uint64(len(bad)) })
	a1.Quiet(100 * time.Millisecond)
	if !strings.Contains(logs.String(), "redis message dropped") || !strings.Contains(logs.String(), "dropped_total=") {
		t.Fatalf("no counted log line:\n%s", logs.String())
	}
	// Still working: a valid message from "another node" is delivered.
	valid := "\x93\xa5other\x83\xa4type\x02\xa4data\x92\xa2ok\x01\xa3nsp\xa1/\x83\xa5rooms\x90\xa6except\x90\xa5flags\x80"
	_ = a.RDB.Publish(context.Background(), "socket.io#/#", valid).Err()
	a1.Expect(`42["ok",1]`)
}

// A node that dies in the middle of a serverSideEmit: the requester gets
// the answers that came and Node's error, never a hang.
func TestNodeKilledMidRequest(t *testing.T) {
	r := redistest.Start(t)
	answering := func(sio *socketio.Server) {
		sio.Of("/").OnServerSideEmit("q", func(args socketio.Args, ack socketio.AckFunc) { ack("here") })
	}
	dying := make(chan struct{}, 1)
	a := startNode(t, r, redis.Options{RequestsTimeout: time.Second}, nil)
	_ = startNode(t, r, redis.Options{}, answering)
	c := startNode(t, r, redis.Options{}, func(sio *socketio.Server) {
		sio.Of("/").OnServerSideEmit("q", func(args socketio.Args, ack socketio.AckFunc) { dying <- struct{}{} })
	})
	waitServers(t, 3, a)
	res := make(chan []socketio.Args, 1)
	errc := make(chan error, 1)
	_ = a.Sio.ServerSideEmitAck("q", func(err error, r []socketio.Args) { errc <- err; res <- r })
	<-dying
	_ = c.Sio.Close() // killed before answering
	err := <-errc
	if err == nil || err.Error() != "timeout reached: only 1 responses received out of 2" {
		t.Fatalf("error %v", err)
	}
	if got := <-res; len(got) != 1 || clustertest.Str(got[0], 0) != "here" {
		t.Fatalf("partial responses %v", got)
	}
	// Once it is gone, the count drops and requests complete again.
	waitServers(t, 2, a)
	if _, err := a.Sio.FetchSockets(); err != nil {
		t.Fatal(err)
	}
}
