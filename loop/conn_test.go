package loop

import (
	"net"
	"net/netip"
	"testing"
	"time"
	"unsafe"
)

// The server holds one Conn per connection: it must stay in the 112-byte
// size class (it was 144 before the write queue went behind a pointer, the
// remote address lost netip.AddrPort's padding and the flags were packed).
func TestConnSize(t *testing.T) {
	var c Conn
	t.Logf("loop.Conn: %d bytes", unsafe.Sizeof(c))
	if n := unsafe.Sizeof(c); n > 112 {
		t.Fatalf("loop.Conn is %d bytes, want at most 112", n)
	}
	// A write queue is 80 bytes of its chunk (dirtyring.go).
	var q pendQueue
	if n := unsafe.Sizeof(q); n != 80 {
		t.Fatalf("pendQueue is %d bytes, want 80", n)
	}
}

// RemoteAddr returns exactly the address the Conn was given: IPv4 as 4-byte
// addresses (the acceptor unmaps IPv4-mapped IPv6), IPv6 with its zone, and
// the zero value.
func TestRemoteAddrRoundTrip(t *testing.T) {
	for _, ap := range []netip.AddrPort{
		{},
		netip.MustParseAddrPort("10.0.0.1:5000"),
		netip.MustParseAddrPort("[::ffff:10.0.0.1]:5000"),
		netip.MustParseAddrPort("[2001:db8::1]:65535"),
		netip.MustParseAddrPort("[fe80::1%eth0]:1"),
		netip.AddrPortFrom(netip.Addr{}, 7),
	} {
		var c Conn
		c.setRemote(ap)
		if got := c.RemoteAddr(); got != ap {
			t.Errorf("RemoteAddr() = %v, want %v", got, ap)
		}
	}
	if a := (&Conn{}).RemoteAddr(); a.IsValid() || a.Addr().IsValid() {
		t.Errorf("zero Conn: %v", a)
	}
	var c Conn
	c.setRemote(netip.MustParseAddrPort("127.0.0.1:80"))
	if !c.RemoteAddr().Addr().Is4() {
		t.Error("IPv4 address not 4 bytes")
	}
}

// An IPv4 peer of a dual-stack listener comes back as a 4-byte address, with
// the port the client dialled from.
func TestAcceptedRemoteAddrIsUnmapped(t *testing.T) {
	box := newConnBox()
	s := startServerAt(t, ":0", &funcHandler{open: box.add}, WithNumLoops(1))
	_, port, _ := net.SplitHostPort(s.Addr().String())
	nc, err := net.DialTimeout("tcp4", net.JoinHostPort("127.0.0.1", port), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	got := box.next(t).RemoteAddr()
	want := nc.LocalAddr().(*net.TCPAddr).AddrPort()
	if got != want || !got.Addr().Is4() {
		t.Fatalf("RemoteAddr() = %v, want %v (4 bytes)", got, want)
	}
}
