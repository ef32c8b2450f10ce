package socketio_test

import (
	"net/netip"
	"testing"

	"github.com/gobwas/ws"

	"github.com/sio-fast/sio-fast/engineio"
	"github.com/sio-fast/sio-fast/internal/wsframe"
	"github.com/sio-fast/sio-fast/loop"
	"github.com/sio-fast/sio-fast/socketio"
)

// observers are the side-by-side cases of the Observer benchmarks: none
// (what every server without instrumentation pays), and one whose
// functions do nothing (the hook's own cost when used).
var observers = []struct {
	name string
	obs  *socketio.Observer
}{
	{"unset", nil},
	{"noop", &socketio.Observer{
		Engine:     func(es socketio.EngineSocket) socketio.EngineSocket { return es },
		RoomJoined: func(*socketio.Namespace, socketio.Room, string) {},
		RoomLeft:   func(*socketio.Namespace, socketio.Room, string) {},
		DataSet:    func(*socketio.Socket) {},
	}},
}

// BenchmarkObserverConnect is BenchmarkConnect (handshake, CONNECT, close
// on an in-memory loop) with and without an Observer.
func BenchmarkObserverConnect(b *testing.B) {
	for _, o := range observers {
		b.Run(o.name, func(b *testing.B) {
			sio := socketio.NewServer(socketio.Config{})
			sio.Observe(o.obs)
			m := loop.NewMemory(sio.NewEngine(engineio.Config{}))
			defer m.Close()
			connect := wsframe.AppendClientFrame(nil, ws.OpText, true, [4]byte{1, 2, 3, 4}, []byte("40"))
			b.ReportAllocs()
			for b.Loop() {
				p := m.Dial(netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), 1))
				p.SetDiscard(true)
				p.Send([]byte(wsHandshake))
				p.Send(connect)
				p.Close()
			}
		})
	}
}

// BenchmarkObserverJoinLeave measures a socket joining and leaving a room
// (the in-memory adapter's hook points) with and without an Observer.
func BenchmarkObserverJoinLeave(b *testing.B) {
	for _, o := range observers {
		b.Run(o.name, func(b *testing.B) {
			sio := socketio.NewServer(socketio.Config{})
			sio.Observe(o.obs)
			m := loop.NewMemory(sio.NewEngine(engineio.Config{}))
			defer m.Close()
			p := m.Dial(netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), 1))
			p.SetDiscard(true)
			p.Send([]byte(wsHandshake))
			p.Send(wsframe.AppendClientFrame(nil, ws.OpText, true, [4]byte{1, 2, 3, 4}, []byte("40")))
			socks := sio.Sockets().Sockets()
			if len(socks) != 1 {
				b.Fatalf("%d sockets connected, want 1", len(socks))
			}
			s := socks[0]
			b.ReportAllocs()
			for b.Loop() {
				s.Join("room")
				s.Leave("room")
			}
		})
	}
}
