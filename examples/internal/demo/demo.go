// Package demo is the application every example serves: a Socket.IO server
// with a few events (echo, binary echo, rooms, a burst of server messages)
// and the program scaffolding (flags, TLS, graceful shutdown) the example
// programs share, so that each one shows only how its router mounts the
// engine.
package demo

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/sio-fast/sio-fast/engineio"
	"github.com/sio-fast/sio-fast/socketio"
)

// Engine returns the Engine.IO server carrying the demo Socket.IO
// application, to mount at "/socket.io/". Its events:
//
//	echo n          → "echo" n back
//	binary bytes    → "binary" with the same bytes back
//	join room       → joins room; acknowledged with "joined"
//	to-room room m  → "room-message" m to the room's other members
//	burst n         → n "burst" events 0..n-1
func Engine() *engineio.Server {
	sio := socketio.NewServer(socketio.Config{})
	sio.OnConnection(func(s *socketio.Socket) {
		s.On("echo", func(s *socketio.Socket, a socketio.Args, _ socketio.AckFunc) {
			n, _ := a.Int(0)
			_ = s.Emit("echo", n)
		})
		s.On("binary", func(s *socketio.Socket, a socketio.Args, _ socketio.AckFunc) {
			_ = s.Emit("binary", append([]byte(nil), a.Bytes(0)...))
		})
		s.On("join", func(s *socketio.Socket, a socketio.Args, ack socketio.AckFunc) {
			room, _ := a.String(0)
			s.Join(socketio.Room(room))
			if ack != nil {
				_ = ack("joined")
			}
		})
		s.On("to-room", func(s *socketio.Socket, a socketio.Args, _ socketio.AckFunc) {
			room, _ := a.String(0)
			msg, _ := a.String(1)
			_ = s.To(socketio.Room(room)).Emit("room-message", msg)
		})
		s.On("burst", func(s *socketio.Socket, a socketio.Args, _ socketio.AckFunc) {
			n, _ := a.Int(0)
			for i := range n {
				_ = s.Emit("burst", i)
			}
		})
	})
	return sio.NewEngine(engineio.Config{})
}

// Ping is the REST route every example serves beside Socket.IO.
func Ping(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("pong")) }

// Run serves h on -addr (HTTPS with -tls-cert and -tls-key) until SIGINT
// or SIGTERM, then stops the engine and the HTTP server: the engine first,
// so that polling requests waiting in it are answered and the HTTP server's
// Shutdown does not wait for them.
func Run(h http.Handler, eng *engineio.Server) {
	addr := flag.String("addr", "127.0.0.1:3000", "listen address")
	cert := flag.String("tls-cert", "", "TLS certificate file (PEM)")
	key := flag.String("tls-key", "", "TLS key file (PEM)")
	flag.Parse()
	srv := &http.Server{Addr: *addr, Handler: h, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() {
		if *cert != "" {
			srv.TLSNextProto = map[string]func(*http.Server, *tls.Conn, http.Handler){} // HTTP/1.1: WebSocket upgrades need it
			errc <- srv.ListenAndServeTLS(*cert, *key)
			return
		}
		errc <- srv.ListenAndServe()
	}()
	log.Printf("serving on %s", *addr)
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	select {
	case err := <-errc:
		log.Fatal(err)
	case <-sig:
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := eng.Shutdown(ctx); err != nil {
		log.Print(err)
	}
	if err := srv.Shutdown(ctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Print(err)
	}
}
