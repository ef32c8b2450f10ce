package socketio

import (
	"io"
	"log/slog"
	"runtime"
	"testing"
	"time"
)

// recoveryBenchServer is benchServer with recovery set (nil: off).
func recoveryBenchServer(tb testing.TB, n int, rec *Recovery) (*Server, []*fakeES) {
	tb.Helper()
	srv := NewServer(Config{ConnectTimeout: -1, Recovery: rec, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	exec := &syncExec{}
	fs := make([]*fakeES, n)
	for i := range fs {
		f := newFakeES(exec, 4)
		f.countOnly = true
		srv.HandleEngineSocket(f)
		f.onMsg([]byte("0"), false)
		fs[i] = f
	}
	return srv, fs
}

// BenchmarkRecoverySocketEmit is one Socket.Emit with recovery off and on
// (on: through the adapter, stored, with an offset, as Node does). With the
// default 2 minutes every packet of the run stays stored, and the collector
// marks them all again and again; with 100 ms the store stays small.
func BenchmarkRecoverySocketEmit(b *testing.B) {
	for _, mode := range []struct {
		name string
		rec  *Recovery
	}{{"off", nil}, {"on", DefaultRecovery()}, {"on-100ms", &Recovery{MaxDisconnectionDuration: 100 * time.Millisecond}}} {
		b.Run(mode.name, func(b *testing.B) {
			srv, _ := recoveryBenchServer(b, 1, mode.rec)
			s := srv.Sockets().Sockets()[0]
			b.ReportAllocs()
			for b.Loop() {
				_ = s.Emit("news", "hello", 42)
			}
		})
	}
}

// heapAfterGC returns the live heap once garbage is collected.
func heapAfterGC() uint64 {
	var ms runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// BenchmarkRecoveryMemoryPerSession reports the heap a kept session costs
// (a socket in its own room and one other, data nil): the store's entry,
// its map slot, its ids and room list (which outlive the socket).
func BenchmarkRecoveryMemoryPerSession(b *testing.B) {
	st := newMemStore(defaultMaxDisconnection)
	defer st.close()
	before := heapAfterGC()
	for range b.N {
		id := newSocketID()
		st.persist(&Session{SID: id, PID: newSocketID(), Rooms: []Room{id, "room"}})
	}
	after := heapAfterGC()
	b.ReportMetric(float64(after-before)/float64(b.N), "B/session")
	runtime.KeepAlive(st)
}

// BenchmarkRecoveryMemoryPerPacket reports the heap a stored packet costs
// beyond its JSON (a broadcast to all with a 30-byte payload, nobody
// connected): the entry, the copy with its offset, the ring's slack.
func BenchmarkRecoveryMemoryPerPacket(b *testing.B) {
	srv, _ := recoveryBenchServer(b, 0, DefaultRecovery())
	a := srv.Sockets().Adapter().(*MemoryAdapter)
	before := heapAfterGC()
	for b.Loop() {
		_ = srv.Emit("news", "hello, this is thirty bytes!!")
	}
	after := heapAfterGC()
	n, _ := a.rec.stats()
	json := len(`["news","hello, this is thirty bytes!!"]`)
	b.ReportMetric(float64(after-before)/float64(n)-float64(json), "B/packet-overhead")
	b.ReportMetric(float64(json), "B/packet-json")
}
