package loop_test

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/netip"
	"time"

	"github.com/sio-fast/sio-fast/loop"
)

// A reactor without a listener takes over a connection another server
// accepted, with the bytes that server had already read from it.
func ExampleServer_Adopt() {
	srv, err := loop.Start(upper{}, loop.WithNumLoops(1))
	if err != nil {
		panic(err)
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}()
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	defer ln.Close()
	client, _ := net.Dial("tcp", ln.Addr().String())
	defer client.Close()
	accepted, _ := ln.Accept()

	// "hello, " was read by the other server before it let go.
	if err := srv.Adopt(accepted, []byte("hello, ")); err != nil {
		panic(err)
	}
	_, _ = client.Write([]byte("world\n"))
	line, _ := bufio.NewReader(client).ReadString('\n')
	fmt.Print(line)
	// Output: HELLO, WORLD
}

// collect prints what the handler writes to a pipe.
type collect struct{ done chan string }

func (c *collect) Receive(b []byte) { c.done <- string(b) }
func (c *collect) Closed()          {}

// A pipe is a connection without a socket: a request received elsewhere is
// served by the handler on a loop.
func ExampleServer_OpenPipe() {
	srv, err := loop.Start(upper{}, loop.WithNumLoops(1))
	if err != nil {
		panic(err)
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}()
	out := &collect{done: make(chan string, 1)}
	p, err := srv.OpenPipe(nil, netip.MustParseAddrPort("192.0.2.1:4000"), out)
	if err != nil {
		panic(err)
	}
	p.Send([]byte("over a pipe"))
	fmt.Println(<-out.done)
	p.Close()
	// Output: OVER A PIPE
}
