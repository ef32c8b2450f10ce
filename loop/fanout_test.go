package loop

import (
	"bufio"
	"net"
	"sync"
	"testing"
)

// A fan-out groups recipients by loop and hands each loop one task: every
// client gets the shared frame, and the number of hand-offs is the number of
// loops, not the number of connections.
func TestFanOutOneTaskPerLoop(t *testing.T) {
	box := newConnBox()
	s := startServer(t, &funcHandler{open: box.add}, WithNumLoops(2))
	const n = 40
	clients := make([]net.Conn, n)
	byLoop := map[*Loop][]*Conn{}
	for i := range clients {
		clients[i] = dial(t, s)
		c := box.next(t)
		byLoop[c.Loop()] = append(byLoop[c.Loop()], c)
	}
	frame := []byte("broadcast\n")
	var tasks sync.WaitGroup
	for l, conns := range byLoop {
		tasks.Add(1)
		l.Execute(func() {
			defer tasks.Done()
			for _, c := range conns {
				_ = c.Write(frame)
			}
		})
	}
	tasks.Wait()
	if len(byLoop) > 2 {
		t.Fatalf("%d loops for 2 configured", len(byLoop))
	}
	for _, nc := range clients {
		if got := readLine(t, nc, bufio.NewReader(nc)); got != "broadcast\n" {
			t.Fatalf("got %q", got)
		}
	}
}

// Messages queued for one connection in one turn leave in one writev.
func TestBatchedWritesArriveInOrder(t *testing.T) {
	box := newConnBox()
	s := startServer(t, &funcHandler{open: box.add})
	nc := dial(t, s)
	c := box.next(t)
	done := make(chan struct{})
	c.Loop().Execute(func() {
		for i := 0; i < 3000; i++ { // more than IOV_MAX buffers in one turn
			_ = c.Write([]byte{byte('a' + i%26)})
		}
		_ = c.Write([]byte("\n"))
		close(done)
	})
	<-done
	line := readLine(t, nc, bufio.NewReader(nc))
	if len(line) != 3001 {
		t.Fatalf("got %d bytes", len(line))
	}
	for i := 0; i < 3000; i++ {
		if line[i] != byte('a'+i%26) {
			t.Fatalf("byte %d out of order", i)
		}
	}
}
