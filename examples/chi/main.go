// Command chi serves Socket.IO on a github.com/go-chi/chi/v5 router beside
// a REST route: the engine is an http.Handler mounted at /socket.io/*.
//
//	go run ./chi -addr 127.0.0.1:3000
package main

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"github.com/sio-fast/sio-fast/engineio"
	"github.com/sio-fast/sio-fast/examples/internal/demo"
)

func main() { demo.Run(newHandler()) }

func newHandler() (http.Handler, *engineio.Server) {
	eng := demo.Engine()
	r := chi.NewRouter()
	r.Use(middleware.Recoverer)
	r.Get("/api/ping", demo.Ping)
	r.Handle("/socket.io/*", eng)
	return r, eng
}
