package socketio_test

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"regexp"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gobwas/ws"

	"github.com/sio-fast/sio-fast/engineio"
	"github.com/sio-fast/sio-fast/internal/wsframe"
	"github.com/sio-fast/sio-fast/loop"
	"github.com/sio-fast/sio-fast/socketio"
)

// recoveryModes are the side-by-side settings of the recovery benchmarks.
var recoveryModes = []struct {
	name string
	rec  *socketio.Recovery
}{{"off", nil}, {"on", socketio.DefaultRecovery()}}

// BenchmarkRecoveryBroadcastPipeline10k is BenchmarkBroadcastPipeline10k
// with recovery off and on: what storing each packet and appending its
// offset costs a broadcast.
func BenchmarkRecoveryBroadcastPipeline10k(b *testing.B) {
	const clients = 10000
	for _, mode := range recoveryModes {
		b.Run(mode.name, func(b *testing.B) {
			sio := socketio.NewServer(socketio.Config{Recovery: mode.rec})
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
		})
	}
}

var benchPidRe = regexp.MustCompile(`"pid":"([A-Za-z0-9_-]{20})"`)

// BenchmarkRecoveryReconnect measures one reconnection through the whole
// stack on an in-memory loop (WebSocket handshake, CONNECT, its answer,
// the connection listener, then the close that persists the session
// again): "fresh" without credentials, "recovered" with a pid and an
// offset, "recovered-10-missed" with 10 packets to replay each time.
func BenchmarkRecoveryReconnect(b *testing.B) {
	for _, missed := range []int{-1, 0, 10} {
		name := "fresh"
		if missed >= 0 {
			name = fmt.Sprintf("recovered-%d-missed", missed)
		}
		b.Run(name, func(b *testing.B) {
			sio := socketio.NewServer(socketio.Config{Recovery: socketio.DefaultRecovery()})
			var recovered atomic.Int64
			connected := make(chan struct{}, 1)
			sio.OnConnection(func(s *socketio.Socket) {
				if s.Recovered() {
					recovered.Add(1)
				} else {
					s.Join("room")
				}
				connected <- struct{}{}
			})
			m := loop.NewMemory(sio.NewEngine(engineio.Config{}))
			defer m.Close()
			dial := func(auth string) *loop.MemPeer {
				p := m.Dial(netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), 1))
				p.Send([]byte(wsHandshake))
				p.Send(wsframe.AppendClientFrame(nil, ws.OpText, true, [4]byte{1, 2, 3, 4}, []byte("40"+auth)))
				<-connected
				return p
			}
			first := dial("")
			var pid []byte
			for pid == nil {
				out, _ := first.Recv(time.Second)
				if m := benchPidRe.FindSubmatch(out); m != nil {
					pid = m[1]
				}
			}
			_ = sio.To("room").Emit("seen") // offset "1"
			first.Close()
			// The client saw every packet up to the previous reconnection:
			// the in-memory adapter's offsets count in base 36.
			seen := uint64(1)
			b.ReportAllocs()
			for b.Loop() {
				auth := fmt.Sprintf(`{"pid":%q,"offset":%q}`, pid, strconv.FormatUint(seen, 36))
				if missed < 0 {
					auth = ""
				}
				for range missed {
					_ = sio.To("room").Emit("missed", 1)
				}
				seen += uint64(max(missed, 0))
				p := dial(auth)
				p.SetDiscard(true)
				p.Close()
			}
			if missed >= 0 && recovered.Load() != int64(b.N) {
				b.Fatalf("%d of %d reconnections recovered", recovered.Load(), b.N)
			}
		})
	}
}
