package loop

import (
	"io"
	"net"
	"slices"
	"syscall"
	"testing"
	"time"
)

// BenchmarkLoopEcho measures a round trip through the reactor: a client
// writes 64 bytes and reads them back from the echo handler.
func BenchmarkLoopEcho(b *testing.B) {
	s := startServer(b, &funcHandler{data: echoData}, WithNumLoops(1))
	benchEcho(b, dial(b, s), 64)
}

// benchEcho writes size bytes to nc and reads them back, per iteration.
func benchEcho(b *testing.B, nc net.Conn, size int) {
	msg := make([]byte, size)
	buf := make([]byte, size)
	b.ReportAllocs()
	b.SetBytes(int64(size))
	for b.Loop() {
		if _, err := nc.Write(msg); err != nil {
			b.Fatal(err)
		}
		if _, err := io.ReadFull(nc, buf); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFanOutTurn measures one loop turn that writes a shared frame to
// 1,000 connections and flushes them (the transport is a no-op, so this is
// the reactor's own cost per recipient, without the system call).
func BenchmarkFanOutTurn(b *testing.B) {
	l := newTestLoop()
	conns := make([]*Conn, 1000)
	for i := range conns {
		conns[i] = &Conn{t: &nopTransport{}, loop: l}
	}
	benchFanOutTurn(b, l, conns, []byte("42[\"broadcast\",{\"t\":1,\"p\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}]"))
}

// benchFanOutTurn writes frame to every connection of l in one turn, per
// iteration.
func benchFanOutTurn(b *testing.B, l *Loop, conns []*Conn, frame []byte) {
	b.ReportAllocs()
	for b.Loop() {
		l.enter()
		for _, c := range conns {
			_ = c.Write(frame)
		}
		l.leave()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(conns)), "ns/recipient")
}

// precisions are the timer precisions the timer benchmarks compare: the
// default, finer and coarser, and the tick itself (no wake-ups: timers fire
// at the 50 ms ticks, as before the fine level existed).
var precisions = []time.Duration{time.Millisecond, defaultPrecision, 5 * time.Millisecond, defaultTick}

// BenchmarkTimerLateness reports how late timers fire on a live loop with
// the default 50 ms tick (p50 and max, in µs): 20 timers a round, 7 ms
// apart.
func BenchmarkTimerLateness(b *testing.B) {
	for _, p := range precisions {
		b.Run("precision="+p.String(), func(b *testing.B) {
			l := liveLoop(b, WithTimerPrecision(p))
			var all []time.Duration
			for b.Loop() {
				all = append(all, measureLateness(l, 20, 7*time.Millisecond)...)
			}
			slices.Sort(all)
			b.ReportMetric(float64(all[len(all)/2].Microseconds()), "p50-late-µs")
			b.ReportMetric(float64(all[len(all)-1].Microseconds()), "max-late-µs")
		})
	}
}

// BenchmarkTimerChurnCPU arms 10,000 timers spread over 500 ms on a live
// loop (what 500,000 idle sessions with a 25 s heartbeat arm per 500 ms)
// and waits for all of them; it reports the process CPU time per round,
// which includes the wake-ups of the fine level.
func BenchmarkTimerChurnCPU(b *testing.B) {
	for _, p := range precisions {
		b.Run("precision="+p.String(), func(b *testing.B) {
			l := liveLoop(b, WithTimerPrecision(p))
			const n = 10000
			timers := make([]Timer, n)
			var cpu time.Duration
			for b.Loop() {
				done := make(chan struct{})
				fired := 0 // loop goroutine only
				before := processCPU()
				l.Execute(func() {
					for i := range timers {
						timers[i].Init(func() {
							if fired++; fired == n {
								close(done)
							}
						})
						l.Arm(&timers[i], time.Duration(i)*500*time.Millisecond/n)
					}
				})
				<-done
				cpu += processCPU() - before
			}
			b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-µs/round")
		})
	}
}

// liveLoop serves a server with opts and returns the loop of one client
// connection.
func liveLoop(b *testing.B, opts ...Option) *Loop {
	box := newConnBox()
	s := startServer(b, &funcHandler{open: box.add}, opts...)
	dial(b, s)
	return box.next(b).Loop()
}

func processCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// dueSink keeps BenchmarkDue's result alive.
var dueSink bool

// BenchmarkDue is the check every observation point of a session makes
// (engineio's expired): the deadline of an armed timer against the clock
// read once per turn.
func BenchmarkDue(b *testing.B) {
	m := NewMemory(&funcHandler{})
	defer m.Close()
	l := m.Loop()
	tm := NewTimer(func() {})
	m.do(func() {
		l.Arm(tm, time.Minute)
		for b.Loop() {
			dueSink = l.Due(tm)
		}
	})
}

// BenchmarkArm is what a session's heartbeat costs the loop at each pong:
// its timer moved to a deadline 25 s ahead (a coarse slot), which also
// checks the wheel against the clock and the tick the loop has asked the
// ticker for (idleticks.go).
func BenchmarkArm(b *testing.B) {
	m := NewMemory(&funcHandler{})
	defer m.Close()
	l := m.Loop()
	ts := make([]Timer, 1024)
	for i := range ts {
		ts[i].InitWith(func(*Timer) {})
	}
	b.ReportAllocs()
	m.do(func() {
		i := 0
		for b.Loop() {
			l.Arm(&ts[i&1023], 25*time.Second+time.Duration(i&1023)*time.Millisecond)
			i++
		}
	})
}
