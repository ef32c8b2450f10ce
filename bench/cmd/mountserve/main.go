// Command mountserve serves one Socket.IO application either on the
// reactor (loop.Serve) or mounted on a net/http server (the engine as an
// http.Handler, WebSockets taken over onto its reactor), so that
// bench/cmd/wsidle can measure the memory of an idle WebSocket session
// accepted each way, side by side:
//
//	mountserve -addr 127.0.0.1:3001 -via reactor|nethttp [-loops 2]
//	wsidle -addr 127.0.0.1:3001 -pid PID -n 5000 -sio -path '/socket.io/?EIO=4&transport=websocket'
//
// With -via nethttp -tls-cert -tls-key the server speaks HTTPS, and the
// upgraded connections are *tls.Conn carried by the reactor's stream
// goroutines (wsidle -tls).
//
// With -via nethttp the reactor is started before listening (a polling
// handshake served in-process), so that its fixed cost stays in the
// empty server's memory, as loop.Serve's does.
package main

import (
	"context"
	"crypto/tls"
	"flag"
	"log"
	"net/http"
	"net/http/httptest"
	_ "net/http/pprof"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/sio-fast/sio-fast/engineio"
	"github.com/sio-fast/sio-fast/loop"
	"github.com/sio-fast/sio-fast/socketio"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:3001", "listen address")
	via := flag.String("via", "reactor", "reactor (loop.Serve) or nethttp (mounted on net/http)")
	loops := flag.Int("loops", 2, "event loops")
	cert := flag.String("tls-cert", "", "with -via nethttp: serve HTTPS with this certificate (PEM)")
	key := flag.String("tls-key", "", "with -tls-cert: its key (PEM)")
	pprofAddr := flag.String("pprof", "", "serve net/http/pprof on this address (heap profiles of the idle server)")
	flag.Parse()
	if *pprofAddr != "" {
		go func() { log.Print(http.ListenAndServe(*pprofAddr, nil)) }()
	}
	sio := socketio.NewServer(socketio.Config{})
	eng := sio.NewEngine(engineio.Config{})
	stop := func(context.Context) error { return nil }
	switch *via {
	case "reactor":
		srv, err := loop.Serve(*addr, eng, loop.WithNumLoops(*loops))
		if err != nil {
			log.Fatal(err)
		}
		stop = srv.Shutdown
	case "nethttp":
		eng.SetReactorOptions(loop.WithNumLoops(*loops))
		eng.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/socket.io/?EIO=4&transport=polling", nil))
		mux := http.NewServeMux() // not DefaultServeMux: pprof stays on -pprof
		mux.Handle("/socket.io/", eng)
		hs := &http.Server{Addr: *addr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
		go func() {
			if *cert != "" {
				hs.TLSNextProto = map[string]func(*http.Server, *tls.Conn, http.Handler){} // HTTP/1.1 only
				log.Fatal(hs.ListenAndServeTLS(*cert, *key))
			}
			log.Fatal(hs.ListenAndServe())
		}()
		stop = func(ctx context.Context) error {
			_ = eng.Shutdown(ctx)
			return hs.Shutdown(ctx)
		}
	default:
		log.Fatalf("-via %q: want reactor or nethttp", *via)
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	<-sig
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = stop(ctx)
}
