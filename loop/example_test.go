package loop_test

import (
	"bufio"
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"time"

	"github.com/sio-fast/sio-fast/internal/testca"
	"github.com/sio-fast/sio-fast/loop"
)

// upper answers every line with the line upper-cased. Its methods run on
// the connection's event loop and never block.
type upper struct{}

func (upper) OnOpen(c *loop.Conn) {}

func (upper) OnData(c *loop.Conn, in []byte) int {
	out := c.Loop().Scratch(len(in)) // valid until the turn's flush
	for i, b := range in {
		if 'a' <= b && b <= 'z' {
			b -= 'a' - 'A'
		}
		out[i] = b
	}
	_ = c.Write(out)
	return len(in)
}

func (upper) OnClose(c *loop.Conn, err error) {}

func ExampleServe() {
	srv, err := loop.Serve("127.0.0.1:0", upper{}, loop.WithNumLoops(1))
	if err != nil {
		panic(err)
	}
	nc, _ := net.Dial("tcp", srv.Addr().String())
	fmt.Fprintln(nc, "hello, loop")
	line, _ := bufio.NewReader(nc).ReadString('\n')
	fmt.Print(line)
	nc.Close()

	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_ = srv.Shutdown(ctx)
	// Output: HELLO, LOOP
}

// A deadline observed exactly. This server's wheel fires timers only at its
// hourly ticks (the precision equals the tick: no wake-ups in between), yet
// the code that serves a request checks the session's deadline itself and
// finds it passed.
func ExampleLoop_FireIfDue() {
	srv, err := loop.Serve("127.0.0.1:0", upper{}, loop.WithNumLoops(1),
		loop.WithTickInterval(time.Hour), loop.WithTimerPrecision(time.Hour))
	if err != nil {
		panic(err)
	}
	nc, _ := net.Dial("tcp", srv.Addr().String())
	fmt.Fprintln(nc, "open")
	_, _ = bufio.NewReader(nc).ReadString('\n') // the connection's loop exists now
	l := srv.Loops()[0]

	deadline := loop.NewTimer(func() { fmt.Println("session expired") })
	run := func(fn func()) {
		done := make(chan struct{})
		l.Execute(func() { fn(); close(done) })
		<-done
	}
	run(func() { l.Arm(deadline, 10*time.Millisecond) })
	run(func() { fmt.Println("due at once:", l.Due(deadline)) })
	time.Sleep(20 * time.Millisecond)
	run(func() {
		// A request for the session: its deadline first.
		if l.FireIfDue(deadline) {
			fmt.Println("request refused")
		}
	})
	nc.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_ = srv.Shutdown(ctx)
	// Output:
	// due at once: false
	// session expired
	// request refused
}

func ExampleWithTLS() {
	ca, err := testca.Generate() // a throwaway CA; use your certificate
	if err != nil {
		panic(err)
	}
	srv, err := loop.Serve("127.0.0.1:0", upper{}, loop.WithNumLoops(1), loop.WithTLS(ca.ServerConfig()))
	if err != nil {
		panic(err)
	}
	nc, err := tls.Dial("tcp", srv.Addr().String(), ca.ClientConfig())
	if err != nil {
		panic(err)
	}
	fmt.Fprintln(nc, "hello, tls")
	line, _ := bufio.NewReader(nc).ReadString('\n')
	fmt.Print(line)
	nc.Close()

	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_ = srv.Shutdown(ctx)
	// Output: HELLO, TLS
}
