package engineio_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"time"

	"github.com/sio-fast/sio-fast/engineio"
	"github.com/sio-fast/sio-fast/loop"
)

// An echo server, opened by a polling handshake.
func Example() {
	srv := engineio.NewServer(engineio.Config{
		GenerateID: func(*engineio.Request) (string, error) { return "example-session-id", nil },
	})
	srv.OnConnection(func(s *engineio.Socket) {
		s.OnMessage(func(data []byte, binary bool) {
			// data is only valid during the call: copy before sending.
			s.Send(engineio.Message{Data: append([]byte(nil), data...), Binary: binary})
		})
	})
	ls, err := loop.Serve("127.0.0.1:0", srv)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = ls.Shutdown(ctx)
	}()

	resp, err := http.Get("http://" + ls.Addr().String() + "/engine.io/?EIO=4&transport=polling")
	if err != nil {
		fmt.Println(err)
		return
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println(string(body))
	// Output:
	// 0{"sid":"example-session-id","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}
}

// Hooks get a *Request; NewRequest builds one to test a hook without a
// server.
func ExampleNewRequest() {
	allow := func(r *engineio.Request) error { // an AllowRequest hook
		if r.Header().Get("Origin") != "https://app.example" {
			return fmt.Errorf("origin %q refused", r.Header().Get("Origin"))
		}
		return nil
	}
	h := http.Header{"Origin": {"https://evil.example"}}
	r, err := engineio.NewRequest("GET", "/engine.io/?EIO=4&transport=polling", h, netip.MustParseAddrPort("10.0.0.7:51000"))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Method(), r.Path(), r.Query().Get("transport"), r.RemoteAddr())
	fmt.Println(allow(r))
	// Output:
	// GET /engine.io/ polling 10.0.0.7:51000
	// origin "https://evil.example" refused
}
