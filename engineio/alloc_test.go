//go:build !race

package engineio

import (
	"net/netip"
	"runtime"
	"testing"

	"github.com/sio-fast/sio-fast/httpx"
)

// pickEncoding runs for every polling GET: it must not allocate.
func TestPickEncodingAllocs(t *testing.T) {
	h := []byte("gzip;q=0.8, deflate;q=0.9, br, *;q=0")
	if n := testing.AllocsPerRun(100, func() { _ = pickEncoding(h) }); n != 0 {
		t.Fatalf("pickEncoding allocates %v times", n)
	}
}

// TestRequestCopyAllocExactLength: a handshake's compact copy is allocated
// at its exact length (the next size class), not at the length of the
// fields as received: a capacity left over would be kept with it for the
// session's life.
func TestRequestCopyAllocExactLength(t *testing.T) {
	hr := new(httpx.Parser)
	raw := "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1:3000\r\n" +
		"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" +
		"Sec-WebSocket-Version: 13\r\nX-Other: y\r\n\r\n"
	if _, err := hr.Parse([]byte(raw)); err != nil {
		t.Fatal(err)
	}
	for _, remote := range []string{"192.0.2.1:1", "[2001:db8::1]:2", "[fe80::1%eth0]:3"} {
		ap := netip.MustParseAddrPort(remote)
		n := len(newRequest(hr.Request(), ap).all)
		const runs = 1000
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		for range runs {
			newRequest(hr.Request(), ap)
		}
		runtime.ReadMemStats(&after)
		got := int64(after.TotalAlloc-before.TotalAlloc) / runs
		allocs := (after.Mallocs - before.Mallocs) / runs
		// The string's size class is under n+16 here; the struct is 24.
		if got >= int64(n)+16+24 || allocs != 2 {
			t.Errorf("%s: %d bytes in %d allocations for a copy of %d bytes", remote, got, allocs, n)
		}
	}
}
