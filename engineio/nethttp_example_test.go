package engineio_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/sio-fast/sio-fast/engineio"
	"github.com/sio-fast/sio-fast/loop"
)

// The engine mounted on a net/http server beside a REST route. Polling is
// answered through net/http; WebSocket upgrades would move onto the
// engine's reactor.
func ExampleServer_ServeHTTP() {
	eng := engineio.NewServer(engineio.Config{})
	eng.SetReactorOptions(loop.WithNumLoops(1))
	mux := http.NewServeMux()
	mux.Handle("/engine.io/", eng)
	mux.HandleFunc("/api/ping", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "pong") })
	hs := httptest.NewServer(mux)
	defer hs.Close()

	resp, err := http.Get(hs.URL + "/engine.io/?EIO=4&transport=polling")
	if err != nil {
		panic(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println(resp.StatusCode, strings.HasPrefix(string(body), `0{"sid":`))

	resp, _ = http.Get(hs.URL + "/api/ping")
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println(string(body))

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	fmt.Println(eng.Shutdown(ctx))
	// Output:
	// 200 true
	// pong
	// <nil>
}
