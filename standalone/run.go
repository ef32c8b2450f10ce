package standalone

import (
	"context"
	"errors"
	"net"
	"net/http"

	"github.com/sio-fast/sio-fast/loop"
)

// Running is a started server: the engine on its loops and the API
// listener. Built by Start; Drain ends it.
type Running struct {
	*Server
	Loop    *loop.Server
	APIAddr net.Addr // nil when api.addr is empty
	api     *http.Server
	apiDone chan error
}

// Start serves srv: the engine on cfg's address (loop options from the
// caller) and, when api.addr is set, the HTTP API. The server is ready when
// Start returns.
func Start(srv *Server, cfg *Config, opts ...loop.Option) (*Running, error) {
	r := &Running{Server: srv}
	if cfg.API.Addr != "" {
		ln, err := net.Listen("tcp", cfg.API.Addr)
		if err != nil {
			return nil, err
		}
		r.APIAddr = ln.Addr()
		r.api = &http.Server{Handler: srv.HTTPHandler()}
		r.apiDone = make(chan error, 1)
		go func() { r.apiDone <- r.api.Serve(ln) }()
	}
	// The loops time their turns for sio_fast_loop_busy_seconds_total.
	opts = append(opts[:len(opts):len(opts)], loop.WithBusyTime(cfg.Metrics.Enabled))
	ls, err := loop.Serve(cfg.ListenAddr(), srv.Engine, opts...)
	if err != nil {
		if r.api != nil {
			_ = r.api.Close()
		}
		return nil, err
	}
	r.Loop = ls
	srv.loop.Store(ls)
	srv.SetReady(true)
	return r, nil
}

// Drain ends the server gracefully: /readyz fails at once, the engine stops
// accepting and closes every session (WebSocket close frame, or a close
// packet to a waiting poll, so stock clients reconnect, to another node
// behind the balancer), queued packets are flushed, and whatever is left
// when ctx ends is cut. The API listener closes next, and the server last
// (Server.Close: the cluster adapters and their Redis client). Any
// goroutine but a loop's.
func (r *Running) Drain(ctx context.Context) error {
	r.SetReady(false)
	err := r.Loop.Shutdown(ctx)
	if r.api != nil {
		if e := r.api.Shutdown(ctx); e != nil {
			_ = r.api.Close()
		}
		if e := <-r.apiDone; !errors.Is(e, http.ErrServerClosed) && err == nil {
			err = e
		}
	}
	if e := r.Close(); err == nil {
		err = e
	}
	return err
}
