package socketio_test

import (
	"net/netip"
	"slices"
	"sync"
	"testing"

	"github.com/gobwas/ws"

	"github.com/sio-fast/sio-fast/engineio"
	"github.com/sio-fast/sio-fast/internal/wsframe"
	"github.com/sio-fast/sio-fast/loop"
	"github.com/sio-fast/sio-fast/socketio"
)

// countingES is an Observer.Engine wrapper that sees the messages the
// server sends.
type countingES struct {
	socketio.EngineSocket
	mu   *sync.Mutex
	sent *int
}

func (c countingES) SendNow(m engineio.Message) {
	c.mu.Lock()
	*c.sent++
	c.mu.Unlock()
	c.EngineSocket.SendNow(m)
}

// The Observer sees every session (and its wrapper is the one the server
// writes through), every room change of every namespace, the socket's own
// room included, and SetData; Namespaces lists "/" first, then by name.
func TestObserverSeesSessionsRoomsData(t *testing.T) {
	sio := socketio.NewServer(socketio.Config{})
	sio.Of("/zeta")
	sio.Of("/alpha")
	var (
		mu     sync.Mutex
		events []string
		sent   int
		data   []*socketio.Socket
	)
	note := func(e string) { mu.Lock(); events = append(events, e); mu.Unlock() }
	sio.Observe(&socketio.Observer{
		Engine: func(es socketio.EngineSocket) socketio.EngineSocket {
			note("engine")
			return countingES{EngineSocket: es, mu: &mu, sent: &sent}
		},
		RoomJoined: func(n *socketio.Namespace, room socketio.Room, id string) {
			note("join " + n.Name() + " " + roomName(room, id))
		},
		RoomLeft: func(n *socketio.Namespace, room socketio.Room, id string) {
			note("leave " + n.Name() + " " + roomName(room, id))
		},
		DataSet: func(s *socketio.Socket) { mu.Lock(); data = append(data, s); mu.Unlock() },
	})
	sio.OnConnection(func(s *socketio.Socket) {
		s.Join("r1")
		s.Leave("r1")
		s.SetData(1)
	})
	m := loop.NewMemory(sio.NewEngine(engineio.Config{}))
	defer m.Close()
	p := m.Dial(netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), 1))
	p.SetDiscard(true)
	p.Send([]byte(wsHandshake))
	p.Send(wsframe.AppendClientFrame(nil, ws.OpText, true, [4]byte{1, 2, 3, 4}, []byte("40")))
	p.Close()
	m.Tick(0)

	mu.Lock()
	defer mu.Unlock()
	want := []string{"engine", "join / own", "join / r1", "leave / r1", "leave / own"}
	if !slices.Equal(events, want) {
		t.Fatalf("events %q, want %q", events, want)
	}
	if sent == 0 {
		t.Fatal("the CONNECT reply did not go through the wrapper")
	}
	if len(data) != 1 {
		t.Fatalf("%d SetData reports, want 1", len(data))
	}
	var names []string
	for _, n := range sio.Namespaces() {
		names = append(names, n.Name())
	}
	if !slices.Equal(names, []string{"/", "/alpha", "/zeta"}) {
		t.Fatalf("Namespaces %q", names)
	}
}

// roomName writes a socket's own room as "own" (its id is random).
func roomName(room socketio.Room, id string) string {
	if room == id {
		return "own"
	}
	return room
}
