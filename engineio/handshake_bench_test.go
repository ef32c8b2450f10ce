package engineio

import (
	"net/netip"
	"testing"

	"github.com/sio-fast/sio-fast/loop"
)

const benchWSHandshake = "GET /engine.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n" +
	"Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"

const benchPollHandshake = "GET /engine.io/?EIO=4&transport=polling&t=N8hyd6w HTTP/1.1\r\nHost: x\r\n\r\n"

// BenchmarkHandshake measures the server's work per Engine.IO handshake on
// an in-memory loop (no system calls): a direct WebSocket session, opened
// and closed, and a polling handshake on a keep-alive connection.
func BenchmarkHandshake(b *testing.B) {
	b.Run("websocket", func(b *testing.B) {
		m := loop.NewMemory(NewServer(Config{}))
		defer m.Close()
		b.ReportAllocs()
		for b.Loop() {
			p := m.Dial(netip.AddrPort{})
			p.SetDiscard(true)
			p.Send([]byte(benchWSHandshake))
			p.Close()
		}
	})
	b.Run("polling", func(b *testing.B) {
		srv := NewServer(Config{})
		m := loop.NewMemory(srv)
		defer m.Close()
		p := m.Dial(netip.AddrPort{})
		p.SetDiscard(true)
		b.ReportAllocs()
		for b.Loop() {
			p.Send([]byte(benchPollHandshake))
		}
		b.StopTimer()
		srv.Close() // the sessions would otherwise wait for their ping timeout
	})
}
