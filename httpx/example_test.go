package httpx_test

import (
	"fmt"

	"github.com/sio-fast/sio-fast/httpx"
)

// Example shows the loop a connection layer runs on each read: parse every
// complete request in the buffer, answer it, discard it, and keep the rest
// (here half of a third request) for the next read.
func Example() {
	inbound := []byte("GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: a\r\n\r\n" +
		"POST /socket.io/?EIO=4&transport=polling&sid=x HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\n40" +
		"GET /socket.io/?EIO=4&tr")

	var p httpx.Parser // one per connection, owned by its event loop
	var out []byte     // the connection's write buffer
	for {
		n, err := p.Parse(inbound)
		if err != nil {
			e := err.(*httpx.Error)
			out = httpx.AppendErrorResponse(out, e, false) // then close the connection
			break
		}
		if n == 0 {
			break // need more bytes; p.InProgress() tells whether to arm the 408 timer
		}
		r := p.Request()
		fmt.Printf("%s %s transport=%s body=%q\n", r.Method, r.Path, r.Query("transport"), r.Body)
		out = httpx.AppendResponse(out, 200, "text/plain; charset=UTF-8", []byte("ok"), r.KeepAlive)
		inbound = inbound[n:] // gnet: c.Discard(n)
	}
	fmt.Printf("pending %q in progress=%v\n", inbound, p.InProgress())
	// Output:
	// GET /socket.io/ transport=polling body=""
	// POST /socket.io/ transport=polling body="40"
	// pending "GET /socket.io/?EIO=4&tr" in progress=true
}

// ExampleCheckUpgrade validates a WebSocket handshake and writes the 101.
func ExampleCheckUpgrade() {
	var p httpx.Parser
	_, _ = p.Parse([]byte("GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: a\r\n" +
		"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n" +
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"))
	key, e := httpx.CheckUpgrade(p.Request())
	if e != nil {
		fmt.Printf("%s", httpx.AppendErrorResponse(nil, e, false))
		return
	}
	fmt.Printf("%q\n", httpx.AppendSwitchingProtocols(nil, key))
	// Output:
	// "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n"
}
