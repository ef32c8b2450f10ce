package socketio

import (
	"errors"
	"sync/atomic"
)

// Middleware is a namespace middleware (Node's nsp.use): it runs for every
// new socket of the namespace, in registration order, before the socket is
// connected. It must call next exactly once: next(nil) to continue, or
// next(err) to refuse the connection (the client gets CONNECT_ERROR with
// err's message, and Data for a *ConnectError).
//
// It runs where handlers run (the home loop in HandlerInline mode: do not
// block). For slow checks (a database lookup) start a goroutine and call
// next from it: next is safe from any goroutine, and the chain resumes on the
// home loop. The socket may Join rooms and Emit inside a middleware; those
// packets reach the client before the CONNECT reply.
type Middleware func(s *Socket, next func(err error))

// errMiddlewarePanic refuses a connection whose middleware panicked.
var errMiddlewarePanic = errors.New("socketio: middleware panic")

// mwRun runs the middleware chain of one connecting socket.
type mwRun struct {
	c      *conn
	s      *Socket
	mws    []Middleware
	i      int
	err    error
	called atomic.Bool  // next called for the current step
	state  atomic.Int32 // 0 calling, 1 returned and waiting, 2 next called during the call
	nextFn func(error)
}

// start runs the chain, of at least one middleware, where handlers run.
func (r *mwRun) start() { r.s.run(r.loop) }

// loop calls middlewares while they complete synchronously.
func (r *mwRun) loop() {
	for r.i < len(r.mws) {
		r.called.Store(false)
		r.state.Store(0)
		mw := r.mws[r.i]
		panicked := true
		func() {
			defer func() {
				if rec := recover(); rec != nil {
					r.s.nsp.srv.logger.Error("socketio: middleware panic", "namespace", r.s.nsp.name, "panic", rec)
				}
			}()
			mw(r.s, r.nextFn)
			panicked = false
		}()
		if panicked {
			r.called.Store(true)
			r.finish(errMiddlewarePanic)
			return
		}
		if r.state.CompareAndSwap(0, 1) {
			return // next will be called later, from any goroutine
		}
		if r.err != nil {
			r.finish(r.err)
			return
		}
		r.i++
	}
	r.finish(nil)
}

// next is the callback given to middlewares. Any goroutine; calls after the
// first one of a step are ignored.
func (r *mwRun) next(err error) {
	if !r.called.CompareAndSwap(false, true) {
		return
	}
	r.err = err
	if r.state.CompareAndSwap(0, 2) {
		return // synchronous: loop continues after the middleware returns
	}
	r.c.es.Execute(func() {
		if r.err != nil {
			r.finish(r.err)
			return
		}
		r.i++
		r.s.run(r.loop)
	})
}

// finish completes the connection on the home loop.
func (r *mwRun) finish(err error) {
	done := func() {
		if err != nil {
			r.c.refused(r.s, err)
			return
		}
		r.c.connected(r.s)
	}
	if r.s.nsp.srv.async {
		r.c.es.Execute(done)
		return
	}
	done()
}
