package loop

import (
	"sync"
	"testing"
	"time"
)

// Work handed to a Home keeps each producer's order across moves, and no
// two loops run a Home's work at once (-race checks the unsynchronised
// state below): producers hand over while the Home moves back and forth.
func TestHomeMoveKeepsOrder(t *testing.T) {
	loops := twoLoops(t)
	var h Home
	h.Init(loops[0])
	const producers, each, moves = 4, 3000, 40
	last := make([]int, producers) // touched on h's loop only
	owner := loops[0]              // the loop h lives on, as its work sees it
	var bad []string
	var wg sync.WaitGroup
	for p := range producers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 1; i <= each; i++ {
				h.Execute(func() {
					if last[p] != i-1 && len(bad) < 5 {
						bad = append(bad, "out of order")
					}
					last[p] = i
				})
			}
		}()
	}
	for m := range moves {
		done := make(chan struct{})
		from, to := loops[m%2], loops[(m+1)%2]
		h.Execute(func() {
			if !h.Here(from) || owner != from {
				bad = append(bad, "work ran away from home")
			}
			owner = to
			h.Move(from, to, func() { close(done) })
		})
		<-done
		time.Sleep(100 * time.Microsecond)
	}
	wg.Wait()
	done := make(chan struct{})
	h.Execute(func() { close(done) })
	<-done
	if len(bad) > 0 {
		t.Fatal(bad)
	}
	for p, n := range last {
		if n != each {
			t.Fatalf("producer %d: %d of %d ran", p, n, each)
		}
	}
}

// A batch queued with ExecuteUnlessMoved before a move is ahead of its
// fence: Reroute on the old loop still runs the Home's share first.
func TestExecuteUnlessMovedRefusesAfterAMove(t *testing.T) {
	loops := twoLoops(t)
	var h Home
	h.Init(loops[0])
	seen := Moves()
	var order []string
	ranBatch := make(chan struct{})
	if !loops[0].ExecuteUnlessMoved(seen, func() {
		// Queued before the move below: the Home already left, so its
		// share goes ahead of everything handed to it after the move.
		h.Reroute(loops[0], func() { order = append(order, "batch") })
		close(ranBatch)
	}) {
		t.Fatal("refused with no move")
	}
	moved := make(chan struct{})
	loops[0].Execute(func() {}) // keep the batch ahead
	h.Execute(func() { h.Move(loops[0], loops[1], func() { close(moved) }) })
	<-ranBatch
	<-moved
	done := make(chan struct{})
	h.Execute(func() { order = append(order, "after"); close(done) })
	<-done
	if len(order) != 2 || order[0] != "batch" {
		t.Fatalf("order %v", order)
	}
	if loops[0].ExecuteUnlessMoved(seen, func() {}) {
		t.Fatal("queued although a Home moved since")
	}
}

// twoLoops starts a server of two loops and connects until both exist: a
// loop appears with the first connection it gets, and which loop gets a
// connection is the balancer's choice, so keep dialing (bounded).
func twoLoops(t *testing.T) []*Loop {
	srv := startServer(t, &funcHandler{}, WithNumLoops(2))
	for end, n := time.Now().Add(30*time.Second), 0; time.Now().Before(end); n++ {
		if loops := srv.Loops(); len(loops) == 2 {
			return loops
		}
		if n < 200 {
			_ = dial(t, srv)
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("the connections all landed on one loop")
	return nil
}
