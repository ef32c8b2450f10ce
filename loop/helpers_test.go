package loop

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"net"
	"sync"
	"testing"
	"time"
)

// funcHandler lets each test supply only the callbacks it needs.
type funcHandler struct {
	open  func(c *Conn)
	data  func(c *Conn, in []byte) int
	close func(c *Conn, err error)
}

func (h *funcHandler) OnOpen(c *Conn) {
	if h.open != nil {
		h.open(c)
	}
}

func (h *funcHandler) OnData(c *Conn, in []byte) int {
	if h.data != nil {
		return h.data(c, in)
	}
	return len(in)
}

func (h *funcHandler) OnClose(c *Conn, err error) {
	if h.close != nil {
		h.close(c, err)
	}
}

// echoData writes back every byte received.
func echoData(c *Conn, in []byte) int {
	b := c.Loop().Scratch(len(in))
	copy(b, in)
	_ = c.Write(b)
	return len(in)
}

func startServer(t testing.TB, h Handler, opts ...Option) *Server {
	t.Helper()
	return startServerAt(t, "127.0.0.1:0", h, opts...)
}

// startServerAt is startServer listening on addr.
func startServerAt(t testing.TB, addr string, h Handler, opts ...Option) *Server {
	t.Helper()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	opts = append([]Option{WithNumLoops(2), WithLogger(quiet)}, opts...)
	s, err := Serve(addr, h, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = s.Shutdown(ctx)
	})
	return s
}

func dial(t testing.TB, s *Server) net.Conn {
	t.Helper()
	nc, err := net.DialTimeout("tcp", s.Addr().String(), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = nc.Close() })
	return nc
}

func readLine(t testing.TB, nc net.Conn, r *bufio.Reader) string {
	t.Helper()
	_ = nc.SetReadDeadline(time.Now().Add(5 * time.Second))
	line, err := r.ReadString('\n')
	if err != nil {
		t.Fatalf("read: %v (got %q)", err, line)
	}
	return line
}

// connBox hands the server-side Conn of each accepted connection to a test.
type connBox struct {
	mu    sync.Mutex
	conns []*Conn
	ch    chan *Conn
}

func newConnBox() *connBox { return &connBox{ch: make(chan *Conn, 64)} }

func (b *connBox) add(c *Conn) {
	b.mu.Lock()
	b.conns = append(b.conns, c)
	b.mu.Unlock()
	b.ch <- c
}

func (b *connBox) next(t testing.TB) *Conn {
	t.Helper()
	select {
	case c := <-b.ch:
		return c
	case <-time.After(5 * time.Second):
		t.Fatal("no connection opened")
		return nil
	}
}

// nopTransport accepts everything, for tests and benchmarks of the write
// path without system calls.
type nopTransport struct{ n int }

func (t *nopTransport) Write(b []byte) (int, error) { t.n += len(b); return len(b), nil }
func (t *nopTransport) Writev(bs [][]byte) (int, error) {
	n := 0
	for _, b := range bs {
		n += len(b)
	}
	t.n += n
	return n, nil
}
func (t *nopTransport) OutboundBuffered() int { return 0 }
func (t *nopTransport) Close() error          { return nil }
func (t *nopTransport) Fd() int               { return -1 }
func (t *nopTransport) shutdownWrite()        {}

// newTestLoop returns a loop outside any engine, driven by the test itself.
func newTestLoop() *Loop { return newLoop(&Server{opts: newOptions(nil)}, nil, 0) }
