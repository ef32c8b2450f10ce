// Command nethttp serves Socket.IO on a plain net/http server, beside a
// REST route and behind a logging middleware: the engine is an
// http.Handler mounted at /socket.io/. Polling requests are answered
// through net/http; WebSocket connections move onto the engine's reactor.
//
//	go run ./nethttp -addr 127.0.0.1:3000 [-tls-cert cert.pem -tls-key key.pem]
package main

import (
	"log"
	"net/http"
	"time"

	"github.com/sio-fast/sio-fast/engineio"
	"github.com/sio-fast/sio-fast/examples/internal/demo"
)

func main() {
	h, eng := newHandler(log.Default())
	demo.Run(h, eng)
}

func newHandler(logger *log.Logger) (http.Handler, *engineio.Server) {
	eng := demo.Engine()
	mux := http.NewServeMux()
	mux.Handle("/socket.io/", eng)
	mux.HandleFunc("GET /api/ping", demo.Ping)
	return logRequests(logger, mux), eng
}

// logRequests logs each request's status and duration. Its ResponseWriter
// has an Unwrap method, which lets the engine reach the server's
// http.Hijacker through it for WebSocket upgrades (a wrapper without one
// makes upgrades fail with a 500 that says so).
func logRequests(logger *log.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r)
		logger.Printf("%s %s %d %s", r.Method, r.URL.Path, sw.status, time.Since(start))
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
