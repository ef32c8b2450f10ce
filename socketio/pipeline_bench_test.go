package socketio_test

import (
	"encoding/json"
	"net/netip"
	"syscall"
	"testing"
	"time"

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
// It fails unless every client got every broadcast's frame, so that
// ns/recipient always divides by recipients that were reached. Side by
// side: without a FanoutObserver (metrics off) and with one (metrics on:
// a clock read per broadcast and loop, the loop's AfterFlush).
func BenchmarkBroadcastPipeline10k(b *testing.B) {
	b.Run("observer=off", func(b *testing.B) { benchBroadcastPipeline(b, false) })
	b.Run("observer=on", func(b *testing.B) { benchBroadcastPipeline(b, true) })
}

func benchBroadcastPipeline(b *testing.B, observe bool) {
	const clients = 10000
	sio := socketio.NewServer(socketio.Config{})
	observed := 0
	if observe {
		sio.ObserveFanout(func(n int, _ time.Duration) { observed += n }) // on the one loop
	}
	m := loop.NewMemory(sio.NewEngine(engineio.Config{}))
	defer m.Close()
	connect := wsframe.AppendClientFrame(nil, ws.OpText, true, [4]byte{1, 2, 3, 4}, []byte("40"))
	peers := make([]*loop.MemPeer, clients)
	for i := range peers {
		p := m.Dial(netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), uint16(i)))
		p.SetDiscard(true)
		p.Send([]byte(wsHandshake))
		p.Send(connect)
		peers[i] = p
	}
	settle(m, peers)
	if n := sio.Sockets().NumSockets(); n != clients {
		b.Fatalf("%d sockets connected, want %d", n, clients)
	}
	payload := json.RawMessage(`{"t":100123456789,"p":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}`)
	frame := wsframe.AppendFrame(nil, ws.OpText, []byte(`42["broadcast",`+string(payload)+`]`))
	before := make([]int, clients)
	for i, p := range peers {
		before[i] = p.Written()
	}
	b.ReportAllocs()
	rounds := 0
	cpu := processCPU()
	for b.Loop() {
		_ = sio.Emit("broadcast", payload)
		m.Tick(0)
		rounds++
	}
	// The loop flushes 1,024 connections per turn and posts the rest as
	// further turns, which run while the next Emit is called: all rounds but
	// the last finish inside the timed loop. Let the last one finish.
	settle(m, peers)
	cpu = processCPU() - cpu
	for i, p := range peers {
		if got, want := p.Written()-before[i], rounds*len(frame); got != want {
			b.Fatalf("client %d received %d bytes in %d broadcasts, want %d", i, got, rounds, want)
		}
	}
	if observe && observed < rounds*clients {
		b.Fatalf("observer saw %d recipients in %d broadcasts", observed, rounds)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(rounds)/clients, "ns/recipient")
	// The CPU time the process used, per recipient (the settle included):
	// on a shared machine, wall time also counts the time other processes
	// held the cores; CPU time counts only the work.
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(rounds)/clients, "cpu-ns/recipient")
}

// processCPU returns the user and system CPU time the process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// settle runs loop turns until two in a row write nothing to the peers:
// every flush the loop had split over turns is done.
func settle(m *loop.Memory, peers []*loop.MemPeer) {
	total := func() (n int) {
		for _, p := range peers {
			n += p.Written()
		}
		return n
	}
	for last, still := total(), 0; still < 2; {
		m.Tick(0)
		if n := total(); n != last {
			last, still = n, 0
		} else {
			still++
		}
	}
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
