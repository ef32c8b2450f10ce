package main

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

func names(ps []peer) string {
	var n []string
	for _, p := range ps {
		n = append(n, p.name)
	}
	return strings.Join(n, ",")
}

// Only an optional peer whose tools are missing is skipped, and only when
// -peers does not name it; a named unknown peer is an error.
func TestSelectPeers(t *testing.T) {
	all := peers("out")
	noNode := func(f string) (string, error) {
		if f == "node" {
			return "", errors.New("not found")
		}
		return "/usr/bin/" + f, nil
	}
	everything := func(f string) (string, error) { return "/usr/bin/" + f, nil }

	run, skipped, err := selectPeers(all, "", noNode)
	if err != nil || names(run) != "sio-fast,floor,floor-batch,zishang520" || len(skipped) != 1 || !strings.HasPrefix(skipped[0], "node (optional; node is not installed") {
		t.Fatalf("default without node: run %s, skipped %q, %v", names(run), skipped, err)
	}
	run, skipped, err = selectPeers(all, "", everything)
	if err != nil || names(run) != "sio-fast,floor,floor-batch,node,zishang520" || len(skipped) != 0 {
		t.Fatalf("default: run %s, skipped %q, %v", names(run), skipped, err)
	}
	// Named, node must run (and fail) even where it is not installed.
	run, skipped, err = selectPeers(all, "node,sio-fast", noNode)
	if err != nil || names(run) != "sio-fast,node" || len(skipped) != 0 {
		t.Fatalf("named: run %s, skipped %q, %v", names(run), skipped, err)
	}
	if _, _, err := selectPeers(all, "sio-fast,sio-fst", everything); err == nil {
		t.Fatal("unknown peer accepted")
	}
}

// A server that cannot start, or exits without listening, is an error of
// the run, never a skip.
func TestRunPeerFailsWhenServerDoesNotListen(t *testing.T) {
	if _, err := os.Stat("/usr/bin/taskset"); err != nil {
		t.Skip("taskset is not installed")
	}
	o := options{out: t.TempDir(), serverCPU: "0", genCPU: "0", startWait: 5 * time.Second}
	for _, argv := range [][]string{{"/nonexistent", "-port", "{port}"}, {"true"}} {
		err := runPeer(o, peer{name: "broken", run: argv}, o.out+"/results.jsonl")
		if err == nil {
			t.Fatalf("%v: no error", argv)
		}
		t.Logf("%v: %v", argv, err)
	}
	err := runPeer(o, peer{name: "unbuildable", build: [][]string{{"false"}}, run: []string{"true"}}, o.out+"/results.jsonl")
	if err == nil || !strings.Contains(err.Error(), "build") {
		t.Fatalf("failing build: %v", err)
	}
}

// A fresh phase gets a server of its own; polling phases skip the floors.
func TestServerRuns(t *testing.T) {
	phases, _ := suite(false)
	for _, p := range peers("out") {
		runs := serverRuns(phases, p)
		want := 2
		if p.noPolling {
			want = 1
		}
		if len(runs) != want {
			t.Errorf("%s: %d server runs, want %d", p.name, len(runs), want)
			continue
		}
		if n := len(runs[0]); n != 3 {
			t.Errorf("%s: %d phases on the first server, want 3", p.name, n)
		}
		if want == 2 && (len(runs[1]) != 1 || !runs[1][0].polling || runs[1][0].clients != 10000) {
			t.Errorf("%s: second server runs %+v", p.name, runs[1])
		}
	}
}
