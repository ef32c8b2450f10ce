// Command zishang520 is the bench app of /work/shared/bench-contract.md
// written with github.com/zishang520/socket.io/v3, the Go port of the Node
// server. It lives in its own module so that its dependencies never enter
// sio-fast's go.mod.
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/zishang520/socket.io/servers/socket/v3"
)

func main() {
	port := flag.Int("port", 0, "listen port (overrides $PORT)")
	flag.Parse()
	if *port == 0 {
		*port, _ = strconv.Atoi(os.Getenv("PORT"))
	}
	if *port == 0 {
		*port = 3000
	}
	host := os.Getenv("HOST")
	if host == "" {
		host = "127.0.0.1"
	}

	opts := socket.DefaultServerOptions()
	opts.SetPingInterval(25 * time.Second)
	opts.SetPingTimeout(20 * time.Second)
	opts.SetMaxHttpBufferSize(1_000_000)
	opts.SetServeClient(false)
	io := socket.NewServer(nil, opts)
	io.On("connection", func(clients ...any) {
		s := clients[0].(*socket.Socket)
		s.On("echo", func(args ...any) {
			if ack, ok := lastAck(args); ok {
				ack(args[:len(args)-1], nil)
			}
		})
		s.On("broadcast", func(args ...any) {
			if len(args) > 0 {
				io.Emit("broadcast", args[0])
			}
			if ack, ok := lastAck(args); ok {
				ack(nil, nil)
			}
		})
		s.On("join", func(args ...any) {
			if len(args) == 0 {
				return
			}
			if room, ok := args[0].(string); ok {
				s.Join(socket.Room(room))
			}
			if ack, ok := lastAck(args); ok {
				ack(args[:1], nil)
			}
		})
		s.On("leave", func(args ...any) {
			if len(args) == 0 {
				return
			}
			if room, ok := args[0].(string); ok {
				s.Leave(socket.Room(room))
			}
			if ack, ok := lastAck(args); ok {
				ack(nil, nil)
			}
		})
		s.On("to-room", func(args ...any) {
			if len(args) >= 2 {
				if room, ok := args[0].(string); ok {
					io.To(socket.Room(room)).Emit("broadcast", args[1])
				}
			}
			if ack, ok := lastAck(args); ok {
				ack(nil, nil)
			}
		})
	})

	mux := http.NewServeMux()
	mux.Handle("/socket.io/", io.ServeHandler(opts))
	ln, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(*port)))
	if err != nil {
		fmt.Fprintln(os.Stderr, "zishang520 peer:", err)
		os.Exit(1)
	}
	srv := &http.Server{Handler: mux}
	go srv.Serve(ln)
	fmt.Printf("listening on %s\n", ln.Addr())

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	<-sig
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	io.Close(nil)
	srv.Shutdown(ctx)
}

// lastAck returns the ack callback the library appends when the client asked
// for one.
func lastAck(args []any) (socket.Ack, bool) {
	if len(args) == 0 {
		return nil, false
	}
	ack, ok := args[len(args)-1].(socket.Ack)
	if !ok {
		ack2, ok2 := args[len(args)-1].(func([]any, error))
		return ack2, ok2
	}
	return ack, ok
}
