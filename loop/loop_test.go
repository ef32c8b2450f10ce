package loop

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestEcho(t *testing.T) {
	s := startServer(t, &funcHandler{data: echoData})
	nc := dial(t, s)
	r := bufio.NewReader(nc)
	for i := 0; i < 100; i++ {
		msg := fmt.Sprintf("hello %d\n", i)
		if _, err := nc.Write([]byte(msg)); err != nil {
			t.Fatal(err)
		}
		if got := readLine(t, nc, r); got != msg {
			t.Fatalf("got %q want %q", got, msg)
		}
	}
}

// Several goroutines and the loop itself write to one connection: nothing
// is lost and each producer's order is kept.
func TestWriteOrderManyProducers(t *testing.T) {
	const producers, perProducer = 4, 2000
	box := newConnBox()
	var loopSeq int
	h := &funcHandler{
		open: box.add,
		data: func(c *Conn, in []byte) int {
			// Every byte from the client triggers a loop-side write.
			for range in {
				loopSeq++
				_ = c.Write(fmt.Appendf(nil, "L %d\n", loopSeq))
			}
			return len(in)
		},
	}
	s := startServer(t, h)
	nc := dial(t, s)
	c := box.next(t)
	var wg sync.WaitGroup
	for p := 0; p < producers; p++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 1; i <= perProducer; i++ {
				c.AsyncWrite(fmt.Appendf(nil, "P%d %d\n", p, i))
			}
		}()
	}
	const loopWrites = 500
	go func() {
		for i := 0; i < loopWrites; i++ {
			_, _ = nc.Write([]byte{'x'})
		}
	}()
	wg.Wait()
	last := map[string]int{}
	r := bufio.NewReader(nc)
	total := producers*perProducer + loopWrites
	for n := 0; n < total; n++ {
		var who string
		var seq int
		line := readLine(t, nc, r)
		if _, err := fmt.Sscanf(line, "%s %d", &who, &seq); err != nil {
			t.Fatalf("bad line %q", line)
		}
		if seq != last[who]+1 {
			t.Fatalf("producer %s: got %d after %d", who, seq, last[who])
		}
		last[who] = seq
	}
	for p := 0; p < producers; p++ {
		if got := last[fmt.Sprintf("P%d", p)]; got != perProducer {
			t.Fatalf("producer %d delivered %d of %d", p, got, perProducer)
		}
	}
	if last["L"] != loopWrites {
		t.Fatalf("loop delivered %d of %d", last["L"], loopWrites)
	}
}

// serveFunc starts a server for h with opts and returns it with a dialer
// for it: plain TCP here, TLS in tls_test.go, so that the same guarantees
// are checked over both.
type serveFunc func(t *testing.T, h Handler, opts ...Option) (*Server, func() net.Conn)

func servePlain(t *testing.T, h Handler, opts ...Option) (*Server, func() net.Conn) {
	s := startServer(t, h, opts...)
	return s, func() net.Conn { return dial(t, s) }
}

// Regression for gnet issue #621: the kernel reuses a closed connection's
// descriptor at once; a write through the stale handle must not reach the
// new client that got the descriptor.
func TestStaleWriteNeverReachesReusedFD(t *testing.T) { testStaleWrite(t, servePlain) }

func testStaleWrite(t *testing.T, serve serveFunc) {
	box := newConnBox()
	closed := make(chan *Conn, 8)
	h := &funcHandler{open: box.add, close: func(c *Conn, err error) { closed <- c }}
	_, dial := serve(t, h, WithNumLoops(1))
	reused := false
	for attempt := 0; attempt < 20 && !reused; attempt++ {
		a := dial()
		ca := box.next(t)
		fdA := ca.t.Fd()
		_ = a.Close()
		<-closed
		b := dial()
		cb := box.next(t)
		fdB := cb.t.Fd()
		reused = fdA == fdB
		// Stale writes both ways: from another goroutine and on the loop.
		ca.AsyncWrite([]byte("LEAKED-ASYNC\n"))
		done := make(chan error, 1)
		ca.Loop().Execute(func() { done <- ca.Write([]byte("LEAKED-LOOP\n")) })
		if err := <-done; !errors.Is(err, ErrClosed) {
			t.Fatalf("write to closed conn: %v, want ErrClosed", err)
		}
		cb.AsyncWrite([]byte("mine\n"))
		if got := readLine(t, b, bufio.NewReader(b)); got != "mine\n" {
			t.Fatalf("client B received %q", got)
		}
		_ = b.Close()
		<-closed
	}
	if !reused {
		t.Fatal("the kernel never reused the descriptor: the regression was not reproduced")
	}
}

func TestSlowConsumerIsClosed(t *testing.T) { testSlowConsumer(t, servePlain) }

func testSlowConsumer(t *testing.T, serve serveFunc) {
	box := newConnBox()
	errs := make(chan error, 1)
	h := &funcHandler{open: box.add, close: func(c *Conn, err error) { errs <- err }}
	s, dial := serve(t, h, WithMaxQueuedBytes(256<<10), WithSocketBuffers(8<<10, 8<<10))
	nc := dial() // never reads
	c := box.next(t)
	chunk := make([]byte, 16<<10)
	go func() {
		for i := 0; i < 10000; i++ {
			c.AsyncWrite(chunk)
			select {
			case <-s.Done():
				return
			default:
			}
		}
	}()
	select {
	case err := <-errs:
		if !errors.Is(err, ErrSlowConsumer) {
			t.Fatalf("closed with %v, want ErrSlowConsumer", err)
		}
		if st := s.Stats(); st.CapCloses != 1 || st.StallCloses != 0 {
			t.Fatalf("slow-consumer closes: %d at the cap, %d by stall; want 1, 0", st.CapCloses, st.StallCloses)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("slow consumer was never closed")
	}
	_ = nc
}

func TestConnectionCap(t *testing.T) {
	s := startServer(t, &funcHandler{data: echoData}, WithMaxConns(2))
	a, b := dial(t, s), dial(t, s)
	for _, nc := range []net.Conn{a, b} {
		_, _ = nc.Write([]byte("ok\n"))
	}
	ra, rb := bufio.NewReader(a), bufio.NewReader(b)
	readLine(t, a, ra)
	readLine(t, b, rb)
	// Over the cap: refused with a reset, either while connecting or on the
	// first read; never a hang.
	if over, err := net.DialTimeout("tcp", s.Addr().String(), 5*time.Second); err == nil {
		defer over.Close()
		_ = over.SetReadDeadline(time.Now().Add(5 * time.Second))
		if _, err := over.Read(make([]byte, 1)); err == nil {
			t.Fatal("connection over the cap was not refused")
		} else if ne, ok := err.(net.Error); ok && ne.Timeout() {
			t.Fatalf("connection over the cap hangs: %v", err)
		}
	}
	if s.Refused() == 0 {
		t.Fatal("refusal not counted")
	}
	// The first two keep working.
	_, _ = a.Write([]byte("still\n"))
	if got := readLine(t, a, ra); got != "still\n" {
		t.Fatalf("got %q", got)
	}
	_ = b.Close()
	deadline := time.Now().Add(5 * time.Second)
	for s.NumConns() != 1 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	// A slot is free again.
	c := dial(t, s)
	_, _ = c.Write([]byte("again\n"))
	if got := readLine(t, c, bufio.NewReader(c)); got != "again\n" {
		t.Fatalf("got %q", got)
	}
}

func TestHandlerPanicClosesOnlyThatConn(t *testing.T) {
	h := &funcHandler{data: func(c *Conn, in []byte) int {
		if strings.Contains(string(in), "boom") {
			panic("handler bug")
		}
		return echoData(c, in)
	}}
	s := startServer(t, h)
	good, bad := dial(t, s), dial(t, s)
	_, _ = bad.Write([]byte("boom\n"))
	_ = bad.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := bad.Read(make([]byte, 1)); err == nil {
		t.Fatal("panicking connection not closed")
	}
	_, _ = good.Write([]byte("fine\n"))
	if got := readLine(t, good, bufio.NewReader(good)); got != "fine\n" {
		t.Fatalf("got %q", got)
	}
}

type goodbyeHandler struct{ funcHandler }

func (goodbyeHandler) OnShutdown(c *Conn) { _ = c.Write([]byte("bye\n")) }

func TestGracefulShutdownSaysGoodbye(t *testing.T) {
	h := &goodbyeHandler{funcHandler{data: echoData}}
	s, err := Serve("127.0.0.1:0", h, WithNumLoops(2))
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan string, 10)
	for i := 0; i < 10; i++ {
		nc := dial(t, s)
		_, _ = nc.Write([]byte("hi\n"))
		r := bufio.NewReader(nc)
		readLine(t, nc, r)
		go func() { // a well-behaved peer: read to EOF, then close
			b, _ := io.ReadAll(r)
			_ = nc.Close()
			got <- string(b)
		}()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 10; i++ {
		if b := <-got; b != "bye\n" {
			t.Fatalf("client got %q at shutdown", b)
		}
	}
	if _, err := net.DialTimeout("tcp", s.Addr().String(), time.Second); err == nil {
		t.Fatal("still accepting after shutdown")
	}
}
