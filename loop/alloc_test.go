//go:build !race

package loop

import (
	"net/netip"
	"runtime"
	"testing"
	"time"
)

// Steady-state writes to many connections, flushed at the end of the turn,
// allocate nothing; nor do the turn's clock reads (Stats.Busy) or an
// AfterFlush waiter.
func TestWriteFlushZeroAlloc(t *testing.T) {
	l := newLoop(&Server{opts: newOptions([]Option{WithBusyTime(true)}), start: time.Now()}, nil, 0)
	conns := make([]*Conn, 1000)
	for i := range conns {
		conns[i] = &Conn{t: &nopTransport{}, loop: l}
	}
	frame := []byte("42[\"broadcast\",{\"t\":1}]")
	waited := 0
	waiter := func() { waited++ } // AfterFlush's waiters reuse their list
	turn := func() {
		l.enter()
		for _, c := range conns {
			_ = c.Write(frame)
			_ = c.Write(frame)
		}
		l.AfterFlush(waiter)
		l.leave()
	}
	turn() // warm the loop's write queues and lists
	// Collect once before measuring: on a loaded machine the runtime's own
	// allocations otherwise land in the measurement now and then (a few
	// runs in a hundred counted ~20 allocations in 20 turns, none after a
	// collection; a real allocation per turn would show in every run).
	runtime.GC()
	if n := testing.AllocsPerRun(20, turn); n != 0 {
		t.Fatalf("%v allocations per turn", n)
	}
	if waited != 22 { // the warm-up, AllocsPerRun's own warm-up and 20 runs
		t.Fatalf("waiter ran %d times in 22 turns", waited)
	}
}

func TestScratchZeroAlloc(t *testing.T) {
	l := newTestLoop()
	c := &Conn{t: &nopTransport{}, loop: l}
	turn := func() {
		l.enter()
		for i := 0; i < 100; i++ {
			b := l.Scratch(128)
			_ = c.Write(b)
		}
		l.leave()
	}
	turn()
	if n := testing.AllocsPerRun(20, turn); n != 0 {
		t.Fatalf("%v allocations per turn", n)
	}
}

func TestTimerZeroAlloc(t *testing.T) {
	w := &wheel{}
	w.init(time.Millisecond, time.Millisecond/4, 0)
	ts := make([]Timer, 1000)
	for i := range ts {
		ts[i].Init(func() {})
	}
	var now int64
	run := func(t *Timer) { t.run() }
	cycle := func() {
		for i := range ts {
			w.add(&ts[i], now+int64(i%5)*int64(time.Millisecond)/2)
		}
		now += 5 * int64(time.Millisecond)
		w.advance(now, run)
	}
	cycle()
	if n := testing.AllocsPerRun(20, cycle); n != 0 {
		t.Fatalf("%v allocations per cycle", n)
	}
}

// Arming a loop's timers and planning its ticks allocate nothing.
func TestArmAndPlanTicksZeroAlloc(t *testing.T) {
	m := NewMemory(&funcHandler{})
	defer m.Close()
	l := m.Loop()
	ts := make([]Timer, 100)
	for i := range ts {
		ts[i].InitWith(func(*Timer) {})
	}
	cycle := func() {
		for i := range ts {
			l.Arm(&ts[i], time.Duration(i)*time.Second)
		}
		l.planTicks()
	}
	m.do(func() {
		cycle()
		if n := testing.AllocsPerRun(20, cycle); n != 0 {
			t.Errorf("%v allocations per cycle", n)
		}
	})
}

// RemoteAddr rebuilds the address from the Conn's compact fields without
// allocating, zone included.
func TestRemoteAddrZeroAlloc(t *testing.T) {
	c := &Conn{}
	c.setRemote(netip.MustParseAddrPort("[fe80::1%eth0]:443"))
	var ap netip.AddrPort
	if n := testing.AllocsPerRun(100, func() { ap = c.RemoteAddr() }); n != 0 {
		t.Fatalf("%v allocations per call", n)
	}
	if ap.String() != "[fe80::1%eth0]:443" {
		t.Fatalf("got %v", ap)
	}
}
