package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/sio-fast/sio-fast/bench/internal/load"
)

func TestAddFloorLoops(t *testing.T) {
	trace := "" +
		"1000,999999,10,0\n" + // before the window: warm-up
		"2000,4000,10,1\n" +
		"2500,2000,10,0\n" +
		"3000,6000,10,0\n" +
		"junk\n" +
		"9000,1,1,0\n" // after the window
	path := filepath.Join(t.TempDir(), "floor.trace")
	if err := os.WriteFile(path, []byte(trace), 0o644); err != nil {
		t.Fatal(err)
	}
	rs := []load.Result{
		{Peer: "floor", Scenario: "fanout", Start: 1500, End: 3000},
		{Peer: "floor", Scenario: "echo", Start: 3001, End: 8000}, // no broadcast
		{Peer: "sio-fast", Scenario: "fanout", Start: 1500, End: 3000},
	}
	if err := addFloorLoops(rs, path); err != nil {
		t.Fatal(err)
	}
	got := rs[0].WriteLoop
	want := load.LoopStats{Broadcasts: 3, Writes: 30, Blocked: 1, MeanUs: 4, P50Us: 4, P99Us: 6, MaxUs: 6, UsPerWrite: 0.4}
	if got == nil || *got != want {
		t.Fatalf("got %+v want %+v", got, want)
	}
	if rs[1].WriteLoop != nil || rs[2].WriteLoop != nil {
		t.Fatal("loop stats on a window without broadcasts or on another peer")
	}
}

func TestSuite(t *testing.T) {
	for _, quick := range []bool{false, true} {
		phases, common := suite(quick)
		if len(phases) != 4 || phases[0].args[1] != "idle" || len(common) == 0 || !phases[3].polling {
			t.Fatalf("quick=%v: %v", quick, phases)
		}
		if !quick && (phases[0].clients != 18000 || phases[1].clients != 10000 || phases[2].clients != 1000) {
			t.Fatalf("full suite clients: %v", phases)
		}
	}
}
