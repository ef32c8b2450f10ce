package redisstreams_test

import (
	"strings"
	"testing"
	"time"

	"github.com/sio-fast/sio-fast/internal/siotest"
)

// TestRedisRestarted kills Redis under a two-node cluster: local clients
// keep being served, the stream readers log the outage, reconnect and
// resume, and broadcasts cross again once Redis is back.
func TestRedisRestarted(t *testing.T) {
	r, a, b := cluster(t, nil, nil)
	a1, b1 := siotest.Dial(t, a.URL), siotest.Dial(t, b.URL)

	r.Kill()
	_ = a.Sio.Local().Emit("local", "still served")
	a1.Expect(`42["local","still served"]`)
	_ = a.Sio.Emit("lost") // the XADD fails: lost for every node, counted
	deadline := time.Now().Add(10 * time.Second)
	for a.adapter().Stats().PublishDropped == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("the failed write was not counted: %+v", a.adapter().Stats())
		}
		time.Sleep(20 * time.Millisecond)
	}
	r.Restart()

	// Until the reader is back an emit may be read late or (before its
	// XADD succeeds) lost: emit until one arrives, then check the rest.
	for i := 0; ; i++ {
		_ = a.Sio.Emit("back", i)
		select {
		case p := <-b1.Packets():
			if !strings.HasPrefix(p, `42["back",`) {
				t.Fatalf("got %q", p)
			}
		case <-time.After(500 * time.Millisecond):
			if time.Now().After(deadline.Add(20 * time.Second)) {
				t.Fatalf("no broadcast across after the restart: %+v", b.adapter().Stats())
			}
			continue
		}
		break
	}
	for _, n := range []node{a, b} { // a reader may still be in its backoff
		for n.adapter().Stats().Reconnects == 0 {
			if time.Now().After(deadline.Add(20 * time.Second)) {
				t.Fatalf("reader reconnection not counted: %+v", n.adapter().Stats())
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
}

// TestBadEntriesDropped writes malformed entries and Pub/Sub messages:
// each is dropped and counted, nothing panics, and the cluster goes on.
func TestBadEntriesDropped(t *testing.T) {
	r, a, b := cluster(t, nil, nil)
	b1 := siotest.Dial(t, b.URL)
	bad := [][]string{
		{"type", "three", "data", "{}"},
		{"type", "3", "data", "{not json"},
		{"type", "3", "data", "not base64!"},
		{"type", "3", "data", "wQ=="}, // base64 of 0xc1, never used in MessagePack
		{"type", "3", "data", `{"packet":5}`},
		{"type", "4", "data", `{"rooms":"r"}`},
	}
	for _, fields := range bad {
		args := append([]string{"XADD", "socket.io", "*", "uid", "x", "nsp", "/"}, fields...)
		if _, err := r.Do(args...); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := r.Do("XADD", "socket.io", "*", "unrelated", "entry"); err != nil { // no nsp: skipped, as in Node
		t.Fatal(err)
	}
	for _, payload := range []string{"garbage", "\x81\xa3uid\xc1"} {
		if _, err := r.Do("PUBLISH", "socket.io#/#", payload); err != nil {
			t.Fatal(err)
		}
	}
	_ = a.Sio.Emit("after", "ok")
	b1.Expect(`42["after","ok"]`)
	want := uint64(len(bad) + 2)
	deadline := time.Now().Add(10 * time.Second)
	for _, n := range []node{a, b} {
		for n.adapter().Stats().Dropped != want {
			if time.Now().After(deadline) {
				t.Fatalf("stats %+v, want %d dropped", n.adapter().Stats(), want)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
}
