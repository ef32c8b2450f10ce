package loop

import (
	"testing"
	"time"

	"github.com/panjf2000/gnet/v2"
	"golang.org/x/sys/unix"
)

// TestAcceptedSocketOptions checks the options the server's side of a
// connection really has: TCP_NODELAY as WithTCPNoDelay says (Go turns it on
// at accept, so "off" must be undone), and keep-alive only when
// WithTCPKeepAlive asks for it.
func TestAcceptedSocketOptions(t *testing.T) {
	cases := []struct {
		name          string
		opts          []Option
		noDelay, keep int
	}{
		{"defaults", nil, 1, 0},
		{"no-delay off", []Option{WithTCPNoDelay(false)}, 0, 0},
		{"keep-alive", []Option{WithTCPKeepAlive(30 * time.Second)}, 1, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := make(chan [2]int, 1)
			h := &funcHandler{open: func(c *Conn) {
				fd := c.t.Fd()
				nd, err1 := unix.GetsockoptInt(fd, unix.IPPROTO_TCP, unix.TCP_NODELAY)
				ka, err2 := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_KEEPALIVE)
				if err1 != nil || err2 != nil {
					t.Errorf("getsockopt: %v %v", err1, err2)
				}
				got <- [2]int{nd, ka}
			}}
			s := startServer(t, h, tc.opts...)
			dial(t, s)
			select {
			case g := <-got:
				if (g[0] != 0) != (tc.noDelay != 0) || (g[1] != 0) != (tc.keep != 0) {
					t.Fatalf("TCP_NODELAY=%d SO_KEEPALIVE=%d, want %d %d", g[0], g[1], tc.noDelay, tc.keep)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("no connection")
			}
		})
	}
}

// A Conn keeps gnet's connection itself as its transport: a wrapper would
// cost an allocation per connection for the server's whole life.
func TestConnStoresGnetConnUnwrapped(t *testing.T) {
	got := make(chan bool, 1)
	h := &funcHandler{open: func(c *Conn) {
		_, ok := c.t.(gnet.Conn)
		got <- ok
	}}
	s := startServer(t, h, WithNumLoops(1))
	_ = dial(t, s)
	if !<-got {
		t.Fatal("the transport is not the gnet.Conn")
	}
}
