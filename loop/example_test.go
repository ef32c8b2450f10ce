package loop_test

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"time"

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
