package main

import (
	"testing"

	"github.com/sio-fast/sio-fast/bench/internal/load"
)

func TestApplyNodes(t *testing.T) {
	var one load.Config
	if err := applyNodes(&one, "127.0.0.1:3000", "42", ""); err != nil || one.Addr != "127.0.0.1:3000" || one.ServerPID != 42 || one.Nodes != nil {
		t.Fatalf("one server: %+v %v", one, err)
	}
	even := load.Config{Clients: 5}
	if err := applyNodes(&even, "127.0.0.1:1,127.0.0.1:2", "", ""); err != nil {
		t.Fatal(err)
	}
	if len(even.Nodes) != 2 || even.Nodes[0].Clients != 3 || even.Nodes[1].Clients != 2 || even.Nodes[1].PID != 0 || even.Clients != 5 {
		t.Fatalf("even split: %+v", even)
	}
	split := load.Config{Clients: 18000}
	if err := applyNodes(&split, "127.0.0.1:1, 127.0.0.1:2", "7,8", "1,0"); err != nil {
		t.Fatal(err)
	}
	if split.Clients != 1 || split.Nodes[1].Addr != "127.0.0.1:2" || split.Nodes[1].PID != 8 || split.Nodes[1].Clients != 0 {
		t.Fatalf("-split 1,0: %+v", split)
	}
	for _, bad := range [][3]string{
		{"127.0.0.1:1", "", "1"},                // -split with one server
		{"127.0.0.1:1,127.0.0.1:2", "7", ""},    // one PID for two
		{"127.0.0.1:1,127.0.0.1:2", "", "1"},    // one count for two
		{"127.0.0.1:1,127.0.0.1:2", "", "1,-2"}, // negative
		{"127.0.0.1:1,127.0.0.1:2", "x,y", ""},
	} {
		var c load.Config
		if err := applyNodes(&c, bad[0], bad[1], bad[2]); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
