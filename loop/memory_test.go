package loop

import (
	"errors"
	"io"
	"net/netip"
	"testing"
	"time"
)

func TestMemoryEchoTimersAndClose(t *testing.T) {
	closed := make(chan error, 1)
	var fired int
	h := &funcHandler{
		open: func(c *Conn) {
			tm := NewTimer(func() { fired++; _ = c.Write([]byte("tick")) })
			c.Loop().Arm(tm, time.Second)
		},
		data: func(c *Conn, in []byte) int {
			// Consume only whole lines: the rest must be offered again.
			for i, b := range in {
				if b == '\n' {
					return echoData(c, in[:i+1])
				}
			}
			return 0
		},
		close: func(c *Conn, err error) { closed <- err },
	}
	m := NewMemory(h)
	defer m.Close()
	p := m.Dial(netip.MustParseAddrPort("10.0.0.1:5000"))
	if p.Conn().RemoteAddr().Port() != 5000 {
		t.Fatal("remote address lost")
	}
	p.Send([]byte("hel"))
	if b, _ := p.Recv(20 * time.Millisecond); len(b) != 0 {
		t.Fatalf("partial line echoed: %q", b)
	}
	p.Send([]byte("lo\n"))
	if b, _ := p.Recv(time.Second); string(b) != "hello\n" {
		t.Fatalf("got %q", b)
	}
	m.Tick(500 * time.Millisecond)
	if b, _ := p.Recv(20 * time.Millisecond); len(b) != 0 {
		t.Fatalf("timer fired early: %q", b)
	}
	m.Tick(600 * time.Millisecond)
	if b, _ := p.Recv(time.Second); string(b) != "tick" {
		t.Fatalf("timer: %q", b)
	}
	p.Close()
	if err := <-closed; !errors.Is(err, io.EOF) {
		t.Fatalf("close reason %v", err)
	}
}

func TestMemoryServerCloseDropsLaterWrites(t *testing.T) {
	var srvConn *Conn
	h := &funcHandler{
		open: func(c *Conn) { srvConn = c },
		data: func(c *Conn, in []byte) int {
			_ = c.Write([]byte("bye"))
			c.CloseWithError(nil)
			return len(in)
		},
	}
	m := NewMemory(h)
	defer m.Close()
	p := m.Dial(netip.AddrPort{})
	p.Send([]byte("x"))
	if b, _ := p.Recv(time.Second); string(b) != "bye" {
		t.Fatalf("got %q", b)
	}
	if _, closed := p.Recv(time.Second); !closed {
		t.Fatal("not closed")
	}
	srvConn.AsyncWrite([]byte("stale"))
	if b, _ := p.Recv(50 * time.Millisecond); len(b) != 0 {
		t.Fatalf("stale write delivered: %q", b)
	}
}
