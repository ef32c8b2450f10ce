package loop

import (
	"testing"
	"time"
)

// BenchmarkLoopTurn measures an empty loop turn (the outermost enter and
// leave around nothing), side by side without and with WithBusyTime: the
// fixed cost of a turn and what Stats.Busy's two clock reads add to it.
func BenchmarkLoopTurn(b *testing.B) {
	for _, busy := range []bool{false, true} {
		b.Run("busy="+map[bool]string{false: "off", true: "on"}[busy], func(b *testing.B) {
			l := newLoop(&Server{opts: newOptions([]Option{WithBusyTime(busy)})}, nil, 0)
			l.srv.start = time.Now() // a live server's clock (Memory's has none)
			b.ReportAllocs()
			for b.Loop() {
				l.enter()
				l.leave()
			}
		})
	}
}
