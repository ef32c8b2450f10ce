package loop

import (
	"bufio"
	"fmt"
	"testing"

	"github.com/panjf2000/gnet/v2"
)

// TestGnetStateDropped: once a connection is open, gnet no longer holds the
// addresses and the boxed context it was enrolled with (gnetstate.go), while
// the Conn still knows its peer and keeps working. It fails if a gnet
// upgrade renamed the fields, so that the memory they cost is noticed.
func TestGnetStateDropped(t *testing.T) {
	type seen struct {
		local, remote, safe bool
		peer                string
	}
	got := make(chan seen, 1)
	s := startServer(t, &funcHandler{
		open: func(c *Conn) {
			gc := c.t.(gnet.Conn)
			got <- seen{gc.LocalAddr() != nil, gc.RemoteAddr() != nil, gc.SafeContext() != nil, c.RemoteAddr().String()}
		},
		data: echoData,
	})
	nc := dial(t, s)
	g := <-got
	if g.local || g.remote || g.safe {
		t.Fatalf("gnet still holds local address %v, remote address %v, safe context %v", g.local, g.remote, g.safe)
	}
	if g.peer != nc.LocalAddr().String() {
		t.Fatalf("Conn.RemoteAddr = %s, want the client's %s", g.peer, nc.LocalAddr())
	}
	fmt.Fprintf(nc, "still works\n")
	if line := readLine(t, nc, bufio.NewReader(nc)); line != "still works\n" {
		t.Fatalf("echo = %q", line)
	}
}
