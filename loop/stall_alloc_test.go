//go:build !race

package loop

import (
	"testing"
	"time"
)

// A tick's walk of the backlog list, stall check included, allocates
// nothing, however many connections are backlogged.
func TestBacklogTickZeroAlloc(t *testing.T) {
	srv := &Server{opts: newOptions([]Option{WithWriteStallTimeout(time.Hour)})}
	l := newLoop(srv, nil, 0)
	for i := 0; i < 1000; i++ {
		l.markBacklogged(&Conn{t: &refusingTransport{backlog: 100}, loop: l})
	}
	allocs := testing.AllocsPerRun(100, func() {
		srv.virtual.Add(int64(time.Millisecond))
		l.checkBacklogged()
	})
	if allocs != 0 || len(l.backlogged) != 1000 {
		t.Fatalf("%v allocations per tick, %d listed", allocs, len(l.backlogged))
	}
}
