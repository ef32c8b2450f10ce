package engineio

import (
	"crypto/rand"
	"encoding/base64"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sio-fast/sio-fast/httpx"
	"github.com/sio-fast/sio-fast/loop"
)

// Server is an Engine.IO server. It implements loop.Handler: pass it to
// loop.Serve. Configure it (OnConnection, OnConnectionError) before
// serving.
type Server struct {
	cfg      Config
	sessions *registry
	limits   httpx.Limits

	onConnection      func(*Socket)
	onConnectionError func(*ConnError)

	closed atomic.Bool
	// inflated counts compressed WebSocket messages received (for tests
	// and diagnostics; compressed messages only, so the atomic is cheap
	// next to the inflation).
	inflated atomic.Int64
	idMu     sync.Mutex
	idCount  uint32
	// requestTimeout and keepAliveTimeout are the constants, shorter in
	// tests.
	requestTimeout   time.Duration
	keepAliveTimeout time.Duration
	// parked holds requests that reached their home loop out of turn
	// (order.go); handoffDelay, set by tests only, delays the hand-off of
	// a request to its home loop to reproduce an overtaking.
	parked       parkedRequests
	handoffDelay func(sessionRequest) time.Duration

	mount httpMount // serving through net/http (nethttp.go)
}

// NewServer returns a server with cfg (zero fields take Node's defaults).
// Safe from any goroutine.
func NewServer(cfg Config) *Server {
	cfg = cfg.withDefaults()
	return &Server{
		cfg:              cfg,
		sessions:         newRegistry(),
		requestTimeout:   requestTimeout,
		keepAliveTimeout: keepAliveTimeout,
		limits: httpx.Limits{
			MaxHeaderBytes: 16 << 10,
			MaxHeaderCount: 100,
			MaxBodyBytes:   cfg.MaxHTTPBufferSize,
		},
	}
}

// Config returns the effective configuration (defaults applied).
func (s *Server) Config() Config { return s.cfg }

// OnConnection sets the callback for each new session. It runs on the
// session's home loop; set the socket's callbacks inside it. Call before
// serving.
func (s *Server) OnConnection(fn func(*Socket)) { s.onConnection = fn }

// OnConnectionError sets the callback for refused requests (Node's
// "connection_error"). It runs on an event loop and must not block. Call
// before serving.
func (s *Server) OnConnectionError(fn func(*ConnError)) { s.onConnectionError = fn }

// ClientsCount returns the number of open sessions. Safe from any goroutine.
func (s *Server) ClientsCount() int { return s.sessions.count() }

// Sockets returns a snapshot of the open sessions. Safe from any goroutine.
func (s *Server) Sockets() []*Socket { return s.sessions.all() }

// Close closes every session ("forced close") and refuses new handshakes.
// Safe from any goroutine.
func (s *Server) Close() {
	s.closed.Store(true)
	for _, sock := range s.sessions.all() {
		// Session state belongs to its home loop.
		sock.Close()
	}
}

// newID returns a 20-character URL-safe id: 12 random bytes and a counter,
// like Node's base64id, so ids are unguessable and never repeat.
func (s *Server) newID() string {
	var b [15]byte
	_, _ = rand.Read(b[:12])
	s.idMu.Lock()
	s.idCount++
	n := s.idCount
	s.idMu.Unlock()
	b[12], b[13], b[14] = byte(n>>16), byte(n>>8), byte(n)
	return base64.RawURLEncoding.EncodeToString(b[:])
}

func (s *Server) reportError(e *ConnError, v *reqView) {
	if s.onConnectionError == nil {
		return
	}
	e.Req = v.request()
	s.onConnectionError(e)
}

// OnOpen implements loop.Handler. Loop goroutine.
func (s *Server) OnOpen(c *loop.Conn) {
	cs := &connState{srv: s, c: c} // the parser comes with the first bytes
	cs.reqTime.InitWith(fireReqTime)
	c.SetContext(cs)
	c.Loop().Arm(&cs.reqTime, s.requestTimeout) // the first request, from now
}

// OnData implements loop.Handler. Loop goroutine.
func (s *Server) OnData(c *loop.Conn, in []byte) int {
	switch st := c.Context().(type) {
	case *wsState:
		return st.onData(c, in)
	case *connState:
		return st.onHTTPData(c, in)
	}
	return len(in)
}

// OnClose implements loop.Handler. Loop goroutine.
func (s *Server) OnClose(c *loop.Conn, err error) {
	switch st := c.Context().(type) {
	case *wsState:
		st.onClose(c)
	case *connState:
		st.onClose(c, err)
	}
}

// OnShutdown implements loop.Shutdowner. A WebSocket on c gets a close
// frame at once (the loop closes c right after this returns) and its session
// is closed with "server shutting down"; so is the session whose polling GET
// waits on c, which then gets a close packet. Sessions may live on other
// loops, so their close is handed over. Loop goroutine.
func (s *Server) OnShutdown(c *loop.Conn) {
	switch st := c.Context().(type) {
	case *wsState:
		st.onShutdown(c)
	case *connState:
		if st.ws != nil {
			st.ws.onShutdown(c)
		} else if st.parked != nil {
			st.parked.closeFromAnyLoop(c.Loop(), ReasonServerShutdown, "")
		}
	}
}

func (w *wsState) onShutdown(c *loop.Conn) {
	sock := w.sock
	if sock == nil {
		return
	}
	if !sock.home.On(c.Loop()) {
		_ = c.Write(wsCloseNormal) // the session's own close frame would come too late
	}
	sock.closeFromAnyLoop(c.Loop(), ReasonServerShutdown, "")
}
