package clustertest

import (
	"testing"
	"time"

	"github.com/sio-fast/sio-fast/socketio"
)

// WaitServers waits until every node counts n servers.
func WaitServers(t testing.TB, n int, nodes ...*Node) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for _, nd := range nodes {
		for nd.Adapter().ServerCount() != n {
			if time.Now().After(deadline) {
				t.Fatalf("server count %d, want %d", nd.Adapter().ServerCount(), n)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
}

// WaitRoom waits until room has n local sockets on nd.
func WaitRoom(t testing.TB, nd *Node, room socketio.Room, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for nd.Adapter().Len(room) != n {
		if time.Now().After(deadline) {
			t.Fatalf("room %q has %d sockets, want %d", room, nd.Adapter().Len(room), n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// WaitFor waits until cond holds, failing t with what after 20 s: for
// what a node does on its own time, such as a publisher counting a
// PUBLISH once Redis answered, which may come after another node
// delivered the message.
func WaitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
