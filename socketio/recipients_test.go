package socketio_test

import (
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/gobwas/ws"

	"github.com/sio-fast/sio-fast/engineio"
	"github.com/sio-fast/sio-fast/internal/wsframe"
	"github.com/sio-fast/sio-fast/loop"
	"github.com/sio-fast/sio-fast/socketio"
)

// The per-loop recipient tables of broadcasts to all follow the namespace's
// membership: a socket that left its own room still gets them; one
// disconnected from the namespace while its connection stays open (its
// table entry would still reach it), one whose client closed, and one
// joined again after its disconnection do not. After each step the tables
// hold exactly the connected sockets and agree with themselves. With the
// handlers on their own goroutines, the disconnection leaves the table off
// the loop.
func TestRecipientTablesFollowMembership(t *testing.T) {
	t.Run("inline", func(t *testing.T) { testRecipientTables(t, socketio.HandlerInline) })
	t.Run("async", func(t *testing.T) { testRecipientTables(t, socketio.HandlerAsync) })
}

func testRecipientTables(t *testing.T, mode socketio.HandlerMode) {
	const clients = 40
	sio := socketio.NewServer(socketio.Config{HandlerMode: mode})
	connected := recordSockets(sio)
	m := loop.NewMemory(sio.NewEngine(engineio.Config{}))
	defer m.Close()
	connect := wsframe.AppendClientFrame(nil, ws.OpText, true, [4]byte{1, 2, 3, 4}, []byte("40"))
	peers := make([]*loop.MemPeer, clients)
	for i := range peers {
		p := m.Dial(netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, 0, 1, byte(i)}), 1000))
		p.SetDiscard(true)
		p.Send([]byte(wsHandshake))
		p.Send(connect)
		peers[i] = p
	}
	settle(m, peers)
	waitTicks(t, m, func() bool { return len(connected()) == clients })
	socks := connected()
	byPeer := make(map[*socketio.Socket]int, clients) // by the address each peer dialled from
	for _, s := range socks {
		ip, err := netip.ParseAddr(s.Handshake().Address)
		if err != nil {
			t.Fatal(err)
		}
		byPeer[s] = int(ip.As4()[3])
	}
	frame := wsframe.AppendFrame(nil, ws.OpText, []byte(`42["b",1]`))
	gone := map[int]bool{}
	check := func(step string) {
		t.Helper()
		waitTicks(t, m, func() bool { return sio.Sockets().NumSockets() == clients-len(gone) })
		n, err := socketio.CheckRecipients(sio.Sockets())
		if err != nil || n != clients-len(gone) {
			t.Fatalf("%s: tables hold %d sockets (%v), want %d", step, n, err, clients-len(gone))
		}
		before := make([]int, clients)
		for i, p := range peers {
			before[i] = p.Written()
		}
		if err := sio.Emit("b", 1); err != nil {
			t.Fatal(err)
		}
		settle(m, peers)
		for i, p := range peers {
			want := len(frame)
			if gone[i] {
				want = 0
			}
			if got := p.Written() - before[i]; got != want {
				t.Fatalf("%s: client %d (gone %v) received %d bytes of a broadcast to all, want %d", step, i, gone[i], got, want)
			}
		}
	}
	check("connected")

	for _, s := range socks[:5] {
		s.Leave(s.ID()) // still in the namespace: broadcasts to all reach it
	}
	check("own room left")

	for _, s := range socks[5:10] {
		s.Disconnect(false) // the connection stays open
		gone[byPeer[s]] = true
	}
	check("disconnected from the namespace")

	for _, s := range socks[5:10] {
		s.Join(s.ID(), "r") // refused: disconnected
	}
	check("joined after the disconnection")

	for _, p := range peers[10:15] {
		p.Close()
	}
	for i := 10; i < 15; i++ {
		gone[i] = true
	}
	check("closed by the client")
}

// waitTicks runs loop turns until cond holds, or fails after five seconds.
func waitTicks(t *testing.T, m *loop.Memory, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
		m.Tick(0)
		time.Sleep(time.Millisecond)
	}
}

// A broadcast to all walks the Socket of each recipient once a socket of
// the namespace has outgoing catch-all listeners: those run, once per
// broadcast, and every client still gets the packet.
func TestRecipientTablesNotifyOutgoingListeners(t *testing.T) {
	const clients = 8
	sio := socketio.NewServer(socketio.Config{})
	connected := recordSockets(sio)
	m := loop.NewMemory(sio.NewEngine(engineio.Config{}))
	defer m.Close()
	peers := make([]*loop.MemPeer, clients)
	for i := range peers {
		p := m.Dial(netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), uint16(i)))
		p.SetDiscard(true)
		p.Send([]byte(wsHandshake))
		p.Send(clientText("40"))
		peers[i] = p
	}
	settle(m, peers)
	waitTicks(t, m, func() bool { return len(connected()) == clients })
	socks := connected()
	var mu sync.Mutex
	notified := 0
	socks[3].OnAnyOutgoing(func(_ *socketio.Socket, event string, _ socketio.Args, _ socketio.AckFunc) {
		if event == "b" {
			mu.Lock()
			notified++
			mu.Unlock()
		}
	})
	before := make([]int, clients)
	for i, p := range peers {
		before[i] = p.Written()
	}
	for range 3 {
		if err := sio.Emit("b", 1); err != nil {
			t.Fatal(err)
		}
	}
	settle(m, peers)
	frame := wsframe.AppendFrame(nil, ws.OpText, []byte(`42["b",1]`))
	for i, p := range peers {
		if got := p.Written() - before[i]; got != 3*len(frame) {
			t.Fatalf("client %d received %d bytes, want %d", i, got, 3*len(frame))
		}
	}
	var n int
	m.Tick(0)
	m.Tick(0)
	func() { mu.Lock(); defer mu.Unlock(); n = notified }()
	if n != 3 {
		t.Fatalf("outgoing listener ran %d times for 3 broadcasts", n)
	}
}

// recordSockets records the sockets sio connects; the function it returns
// gives those connected so far. Any goroutine.
func recordSockets(sio *socketio.Server) func() []*socketio.Socket {
	var mu sync.Mutex
	var socks []*socketio.Socket
	sio.OnConnection(func(s *socketio.Socket) {
		mu.Lock()
		socks = append(socks, s)
		mu.Unlock()
	})
	return func() []*socketio.Socket {
		mu.Lock()
		defer mu.Unlock()
		return socks[:len(socks):len(socks)]
	}
}
