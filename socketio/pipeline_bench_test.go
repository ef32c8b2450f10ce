package socketio_test

import (
	"encoding/json"
	"net/netip"
	"testing"

	"github.com/gobwas/ws"

	"github.com/sio-fast/sio-fast/engineio"
	"github.com/sio-fast/sio-fast/internal/wsframe"
	"github.com/sio-fast/sio-fast/loop"
	"github.com/sio-fast/sio-fast/socketio"
)

// wsHandshake opens a direct WebSocket Engine.IO session.
const wsHandshake = "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n" +
	"Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"

// BenchmarkBroadcastPipeline10k measures one broadcast through the whole
// stack to 10,000 in-memory WebSocket clients: the server's own cost per
// recipient, without system calls (compare the floor in docs/benchmarks.md).
func BenchmarkBroadcastPipeline10k(b *testing.B) {
	const clients = 10000
	sio := socketio.NewServer(socketio.Config{})
	m := loop.NewMemory(sio.NewEngine(engineio.Config{}))
	defer m.Close()
	connect := wsframe.AppendClientFrame(nil, ws.OpText, true, [4]byte{1, 2, 3, 4}, []byte("40"))
	for i := 0; i < clients; i++ {
		p := m.Dial(netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), uint16(i)))
		p.SetDiscard(true)
		p.Send([]byte(wsHandshake))
		p.Send(connect)
	}
	payload := json.RawMessage(`{"t":100123456789,"p":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}`)
	b.ReportAllocs()
	for b.Loop() {
		_ = sio.Emit("broadcast", payload)
		m.Tick(0)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/clients, "ns/recipient")
}

// BenchmarkConnect measures one Socket.IO connection's life on an
// in-memory loop, without system calls: the WebSocket handshake, CONNECT
// and its answer, then the close. What it allocates is what every
// connection costs the collector.
func BenchmarkConnect(b *testing.B) {
	sio := socketio.NewServer(socketio.Config{})
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
}
