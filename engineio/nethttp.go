package engineio

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sio-fast/sio-fast/loop"
)

// httpMount is what serving through net/http needs: the reactor that
// carries the requests and the upgraded connections, started on first use,
// and the count of requests in progress for Shutdown.
type httpMount struct {
	once     sync.Once
	opts     []loop.Option
	rt       atomic.Pointer[loop.Server] // set once started
	err      error
	closing  atomic.Bool
	inflight atomic.Int64
	warnPath sync.Once
	warnHij  sync.Once
}

// SetReactorOptions sets the options of the reactor that ServeHTTP starts
// on first use (default: loop's, one loop per CPU). Call before serving.
func (s *Server) SetReactorOptions(opts ...loop.Option) { s.mount.opts = opts }

// Reactor returns the reactor ServeHTTP started, or nil before the first
// request. Safe from any goroutine.
func (s *Server) Reactor() *loop.Server { return s.mount.rt.Load() }

// reactor starts the reactor on the first call.
func (s *Server) reactor() (*loop.Server, error) {
	m := &s.mount
	m.once.Do(func() {
		var rt *loop.Server
		rt, m.err = loop.Start(s, m.opts...)
		m.rt.Store(rt)
	})
	return m.rt.Load(), m.err
}

// ServeHTTP implements http.Handler, so the engine mounts on a net/http
// server or a router at its Path: mux.Handle("/socket.io/", eng). Every
// request is served by the same code as on the reactor, with the same
// answers, errors, CORS and hooks:
//
//   - A polling request is handed to a loop as the bytes of an HTTP/1.1
//     request on a connection without a socket (loop.OpenPipe); the answer
//     is copied to w. A polling GET waits for its packets in this
//     goroutine, holding no loop.
//   - A WebSocket upgrade takes the connection over (http.Hijacker) and
//     moves it onto the reactor with the request and any bytes net/http
//     had read past it (loop.Adopt): the reactor validates it and answers
//     101, and from then on the connection costs what one the reactor
//     accepted costs. A TLS connection keeps its crypto/tls state, and is
//     carried by a reader goroutine (and a writer while it sends) instead
//     of the poller.
//
// Middleware may run before the engine. One whose ResponseWriter cannot be
// hijacked (and does not Unwrap to one that can) makes WebSocket upgrades
// fail with 500 and an error log naming it; clients stay on polling. A
// request whose path is outside Path (http.StripPrefix in front, or a mount
// at another path) is answered 404 with the reason, and logged once, unless
// Config.Fallback serves it. Safe from any goroutine.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	m := &s.mount
	m.inflight.Add(1)
	defer m.inflight.Add(-1)
	if m.closing.Load() {
		http.Error(w, "engineio: server shutting down", http.StatusServiceUnavailable)
		return
	}
	rt, err := s.reactor()
	if err != nil {
		http.Error(w, "engineio: "+err.Error(), http.StatusInternalServerError)
		return
	}
	if !strings.HasPrefix(r.URL.Path, s.cfg.Path) && s.cfg.Fallback == nil {
		s.outsidePath(w, r)
		return
	}
	if r.ProtoMajor == 1 && headerHasToken(r.Header, "Upgrade", "websocket") {
		s.serveUpgrade(w, r, rt)
		return
	}
	s.servePipe(w, r, rt)
}

// outsidePath answers a request the engine cannot serve: its path is not
// under Path, so every client request would fail the same way.
func (s *Server) outsidePath(w http.ResponseWriter, r *http.Request) {
	msg := fmt.Sprintf("engineio: request path %q is outside the engine's Path %q", r.URL.Path, s.cfg.Path)
	if u, err := url.ParseRequestURI(r.RequestURI); err == nil && strings.HasPrefix(u.Path, s.cfg.Path) {
		msg += " (http.StripPrefix in front of the engine? Mount it without stripping: the engine matches the full Path)"
	} else {
		msg += " (mount the engine at its Path, or set Config.Path to where it is mounted)"
	}
	s.mount.warnPath.Do(func() { slog.Error(msg) })
	http.Error(w, msg, http.StatusNotFound)
}

// serveUpgrade moves a WebSocket upgrade request's connection onto the
// reactor, which answers it.
func (s *Server) serveUpgrade(w http.ResponseWriter, r *http.Request, rt *loop.Server) {
	nc, brw, err := http.NewResponseController(w).Hijack()
	if err != nil {
		msg := fmt.Sprintf("engineio: cannot take over the connection for a WebSocket: %v "+
			"(a middleware's ResponseWriter %T neither implements http.Hijacker nor unwraps to one)", err, w)
		s.mount.warnHij.Do(func() { slog.Error(msg) })
		http.Error(w, msg, http.StatusInternalServerError)
		return
	}
	first := appendRequestHead(nil, r, -1, true)
	if n := brw.Reader.Buffered(); n > 0 {
		ahead, _ := brw.Reader.Peek(n)
		first = append(first, ahead...)
	}
	_ = rt.Adopt(nc, first) // on error Adopt closed nc: the client sees the close
}

// servePipe serves a request through a pipe on the reactor and copies the
// answer to w.
func (s *Server) servePipe(w http.ResponseWriter, r *http.Request, rt *loop.Server) {
	body, n, err := readBody(r, s.cfg.MaxHTTPBufferSize)
	if err != nil {
		panic(http.ErrAbortHandler) // the client went away mid-body
	}
	ans := &pipeAnswer{done: make(chan struct{})}
	p, err := rt.OpenPipe(s.homeOf(r), remoteAddr(r.RemoteAddr), ans)
	if err != nil {
		http.Error(w, "engineio: "+err.Error(), http.StatusServiceUnavailable)
		return
	}
	req := appendRequestHead(make([]byte, 0, 512+len(body)), r, n, false)
	p.Send(append(req, body...))
	select {
	case <-ans.done:
	case <-r.Context().Done():
		// The client went away (a parked GET's, say): the engine sees its
		// connection close, as on the reactor.
		p.Close()
		return
	case <-rt.Done():
		panic(http.ErrAbortHandler)
	}
	if err := writeAnswer(w, ans.buf); err != nil {
		panic(http.ErrAbortHandler) // closed without an answer, as the engine does a connection
	}
}

// homeOf returns the home loop of the session r is for, if any: its
// polling requests are served there, as a session's requests on one
// kept-alive connection are on the reactor, without a hop between loops.
func (s *Server) homeOf(r *http.Request) *loop.Loop {
	sid := r.URL.Query().Get("sid")
	if sid == "" {
		return nil
	}
	if sock := s.sessions.get([]byte(sid)); sock != nil {
		return sock.homeLoop()
	}
	return nil
}

// readBody reads r's body up to limit+1 bytes and returns it with the
// Content-Length to declare: a declared length over the limit is passed on
// unread, so that the engine answers 413 as it does on the reactor.
func readBody(r *http.Request, limit int64) ([]byte, int64, error) {
	if r.ContentLength > limit {
		return nil, r.ContentLength, nil
	}
	if r.Body == nil || r.Body == http.NoBody {
		return nil, 0, nil
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	return b, int64(len(b)), err
}

func remoteAddr(s string) netip.AddrPort {
	ap, err := netip.ParseAddrPort(s)
	if err != nil {
		return netip.AddrPort{}
	}
	return netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
}

// appendRequestHead writes r's head as HTTP/1.1 bytes for the engine's
// parser. A polling request gets "Connection: close": the pipe carries one
// request, and the engine closes it once answered. contentLength < 0
// declares none (an upgrade).
func appendRequestHead(dst []byte, r *http.Request, contentLength int64, upgrade bool) []byte {
	dst = append(dst, r.Method...)
	dst = append(dst, ' ')
	dst = append(dst, r.URL.RequestURI()...)
	dst = append(dst, " HTTP/1.1\r\nHost: "...)
	dst = append(dst, r.Host...)
	dst = append(dst, "\r\n"...)
	for k, vs := range r.Header {
		switch k {
		case "Host", "Content-Length", "Transfer-Encoding":
			continue
		case "Connection", "Keep-Alive":
			if !upgrade {
				continue
			}
		}
		for _, v := range vs {
			dst = append(dst, k...)
			dst = append(dst, ": "...)
			dst = append(dst, v...)
			dst = append(dst, "\r\n"...)
		}
	}
	if contentLength > 0 || (contentLength == 0 && r.Method != "GET" && r.Method != "HEAD") {
		dst = append(dst, "Content-Length: "...)
		dst = strconv.AppendInt(dst, contentLength, 10)
		dst = append(dst, "\r\n"...)
	}
	if !upgrade {
		dst = append(dst, "Connection: close\r\n"...)
	}
	return append(dst, "\r\n"...)
}

// headerHasToken reports whether a comma-separated field named name lists
// token (case-insensitive), as httpx.Request.HasToken.
func headerHasToken(h http.Header, name, token string) bool {
	for _, v := range h.Values(name) {
		for _, t := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(t), token) {
				return true
			}
		}
	}
	return false
}

// pipeAnswer collects the engine's answer on the loop; ServeHTTP reads it
// once done is closed.
type pipeAnswer struct {
	buf  []byte
	done chan struct{}
}

func (a *pipeAnswer) Receive(b []byte) { a.buf = append(a.buf, b...) }
func (a *pipeAnswer) Closed()          { close(a.done) }

var errNoAnswer = errors.New("engineio: closed without an answer")

// writeAnswer copies an HTTP/1.1 response written by the engine to w,
// without the fields about the connection (net/http owns it).
func writeAnswer(w http.ResponseWriter, raw []byte) error {
	head, body, ok := bytes.Cut(raw, []byte("\r\n\r\n"))
	if !ok {
		return errNoAnswer
	}
	lines := strings.Split(string(head), "\r\n")
	_, rest, _ := strings.Cut(lines[0], " ")
	code, err := strconv.Atoi(strings.SplitN(rest, " ", 2)[0])
	if err != nil || code < 100 || code > 999 {
		return errNoAnswer // net/http panics on a status outside 100-999
	}
	h := w.Header()
	for _, line := range lines[1:] {
		k, v, _ := strings.Cut(line, ":")
		k, v = http.CanonicalHeaderKey(strings.TrimSpace(k)), strings.TrimSpace(v)
		switch k {
		case "Connection", "Keep-Alive":
			continue
		case "Content-Length":
			if n, err := strconv.Atoi(v); err == nil && n <= len(body) {
				body = body[:n]
			}
		}
		h.Add(k, v)
	}
	w.WriteHeader(code)
	_, _ = w.Write(body)
	return nil
}

// Shutdown stops an engine served through ServeHTTP: new requests get 503,
// every connection of its reactor says goodbye (a session's close packet,
// a WebSocket close frame; a polling GET waiting in ServeHTTP is answered),
// then the reactor stops; Shutdown returns once the requests in ServeHTTP
// are over too, or when ctx ends. Stop the http.Server after it, so that
// its Shutdown does not wait for polling GETs. An engine passed to
// loop.Serve is stopped by that server's Shutdown instead. Safe from any
// goroutine but an event loop's.
func (s *Server) Shutdown(ctx context.Context) error {
	m := &s.mount
	m.closing.Store(true)
	s.closed.Store(true)
	var err error
	if rt := s.Reactor(); rt != nil {
		err = rt.Shutdown(ctx)
	}
	t := time.NewTicker(10 * time.Millisecond)
	defer t.Stop()
	for m.inflight.Load() > 0 && err == nil {
		select {
		case <-ctx.Done():
			err = ctx.Err()
		case <-t.C:
		}
	}
	return err
}
