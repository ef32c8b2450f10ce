package socketio

import "time"

// The server tracks only the connections that are in no namespace: those
// waiting for their first CONNECT, with the deadline of Config.ConnectTimeout,
// and those that left every namespace, without one. Connected ones are found
// through the namespaces when the server closes. A set of every connection
// would cost about 30 bytes per idle connection, and a timer per connection
// about 200 bytes of garbage per handshake: one sweeper goroutine, running
// only while some connection waits, closes the late ones instead.

// trackUnjoined records that c is in no namespace. deadline is when the
// connect timeout closes it (unix nanoseconds), or 0 for never. Any
// goroutine.
func (srv *Server) trackUnjoined(c *conn, deadline int64) {
	srv.connsMu.Lock()
	defer srv.connsMu.Unlock()
	srv.unjoined[c] = deadline
	if deadline != 0 && !srv.sweeping {
		srv.sweeping = true
		go srv.sweepUnjoined(sweepInterval(srv.cfg.ConnectTimeout))
	}
}

// untrack forgets c: it joined a namespace, or it is gone. Any goroutine.
func (srv *Server) untrack(c *conn) {
	srv.connsMu.Lock()
	delete(srv.unjoined, c)
	srv.connsMu.Unlock()
}

// sweepInterval is how often the sweeper looks: a connection is closed at
// most an eighth of the timeout late (within 5 ms and 1 s).
func sweepInterval(timeout time.Duration) time.Duration {
	return min(max(timeout/8, 5*time.Millisecond), time.Second)
}

// sweepUnjoined closes, on their home loops, the connections whose connect
// deadline passed. It returns when none is waiting any more (or the server
// closed); trackUnjoined starts it again.
func (srv *Server) sweepUnjoined(every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for range t.C {
		late, more := srv.takeLate(time.Now().UnixNano())
		for _, c := range late {
			c.es.Execute(c.connectTimedOut)
		}
		if !more {
			return
		}
	}
}

// takeLate removes the deadlines that passed at now and returns their
// connections, and whether the sweeper must go on. Clears srv.sweeping when
// it must not.
func (srv *Server) takeLate(now int64) (late []*conn, more bool) {
	srv.connsMu.Lock()
	defer srv.connsMu.Unlock()
	for c, deadline := range srv.unjoined {
		switch {
		case deadline == 0:
		case deadline <= now:
			late = append(late, c)
			srv.unjoined[c] = 0
		default:
			more = true
		}
	}
	if !more || srv.closed.Load() {
		srv.sweeping = false
		return late, false
	}
	return late, true
}

// connectTimedOut closes c if it still joined no namespace. Home loop.
func (c *conn) connectTimedOut() {
	if len(c.nsps) == 0 && !c.gone {
		c.closeWith(ReasonForcedServerClose)
	}
}

// liveConns returns every connection: those in a namespace and those in
// none. For Close. Any goroutine.
func (srv *Server) liveConns() []*conn {
	seen := make(map[*conn]struct{})
	srv.mu.RLock()
	for _, n := range srv.nsps {
		n.mu.RLock()
		for s := range n.sockets.All() {
			seen[s.conn] = struct{}{}
		}
		n.mu.RUnlock()
	}
	srv.mu.RUnlock()
	srv.connsMu.Lock()
	for c := range srv.unjoined {
		seen[c] = struct{}{}
	}
	srv.connsMu.Unlock()
	conns := make([]*conn, 0, len(seen))
	for c := range seen {
		conns = append(conns, c)
	}
	return conns
}
