package loop

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sio-fast/sio-fast/internal/testca"
)

// lineEcho echoes complete lines only, leaving a partial line unconsumed:
// it shows whether bytes left over are offered again, in order.
func lineEcho(c *Conn, in []byte) int {
	end := bytes.LastIndexByte(in, '\n') + 1
	if end == 0 {
		return 0
	}
	b := c.Loop().Scratch(end)
	copy(b, in[:end])
	_ = c.Write(b)
	return end
}

func startDetached(t testing.TB, h Handler, opts ...Option) *Server {
	t.Helper()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	s, err := Start(h, append([]Option{WithNumLoops(2), WithLogger(quiet)}, opts...)...)
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

// tcpPair returns both ends of a loopback TCP connection.
func tcpPair(t testing.TB) (client, server net.Conn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	client, err = net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = client.Close() })
	server, err = ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	return client, server
}

// tlsPair returns both ends of a loopback TLS connection, handshake done.
func tlsPair(t testing.TB, ca *testca.CA) (client, server *tls.Conn) {
	t.Helper()
	rawClient, rawServer := tcpPair(t)
	client = tls.Client(rawClient, ca.ClientConfig())
	server = tls.Server(rawServer, ca.ServerConfig())
	go func() { _ = client.Handshake() }()
	if err := server.Handshake(); err != nil {
		t.Fatal(err)
	}
	return client, server
}

func TestStartHasEveryLoop(t *testing.T) {
	s := startDetached(t, &funcHandler{}, WithNumLoops(3))
	if n := len(s.Loops()); n != 3 {
		t.Fatalf("%d loops after Start, want 3", n)
	}
	if n := s.NumConns(); n != 0 {
		t.Fatalf("NumConns %d: the anchors must not count", n)
	}
}

// TestAdoptCarriesBytesReadBefore adopts a socket with a partial line
// already read from it: the line's end, sent later, must complete it, and
// nothing may be lost or reordered.
func TestAdoptCarriesBytesReadBefore(t *testing.T) {
	s := startDetached(t, &funcHandler{data: lineEcho})
	client, server := tcpPair(t)
	if err := s.Adopt(server, []byte("first\nsec")); err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(client)
	if got := readLine(t, client, r); got != "first\n" {
		t.Fatalf("got %q", got)
	}
	if _, err := client.Write([]byte("ond\nthird\n")); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"second\n", "third\n"} {
		if got := readLine(t, client, r); got != want {
			t.Fatalf("got %q, want %q", got, want)
		}
	}
	if s.NumConns() != 1 {
		t.Fatalf("NumConns %d", s.NumConns())
	}
}

// TestAdoptTLSRunsOnStream adopts a server-side *tls.Conn, which has no
// descriptor the loop could poll: it is carried by the stream goroutines
// with the same callbacks, including bytes read before adoption and a
// close by the server that the client sees as the end of the stream.
func TestAdoptTLSRunsOnStream(t *testing.T) {
	ca := testca.New(t)
	closed := make(chan error, 1)
	h := &funcHandler{
		data: func(c *Conn, in []byte) int {
			n := lineEcho(c, in)
			if strings.Contains(string(in[:n]), "bye\n") {
				c.CloseAfterFlush(nil)
			}
			return n
		},
		close: func(_ *Conn, err error) { closed <- err },
	}
	s := startDetached(t, h)
	client, server := tlsPair(t, ca)
	if err := s.Adopt(server, []byte("a\nb")); err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(client)
	if got := readLine(t, client, r); got != "a\n" {
		t.Fatalf("got %q", got)
	}
	big := strings.Repeat("x", 100<<10) + "\n"
	go func() { _, _ = client.Write([]byte("c\n" + big + "bye\n")) }()
	for _, want := range []string{"bc\n", big, "bye\n"} {
		if got := readLine(t, client, r); got != want {
			t.Fatalf("got %d bytes %.20q, want %d bytes %.20q", len(got), got, len(want), want)
		}
	}
	_ = client.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := r.ReadByte(); err != io.EOF {
		t.Fatalf("after the server's close: %v, want EOF", err)
	}
	client.Close()
	select {
	case err := <-closed:
		if !errors.Is(err, ErrLocalClose) {
			t.Fatalf("OnClose: %v, want ErrLocalClose", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("OnClose not called")
	}
}

// TestStreamSlowConsumer: a TLS peer that never reads is closed with
// ErrSlowConsumer once the queue cap is passed, as a socket would be.
func TestStreamSlowConsumer(t *testing.T) {
	ca := testca.New(t)
	closed := make(chan error, 1)
	chunk := make([]byte, 64<<10)
	h := &funcHandler{
		open: func(c *Conn) {
			for i := 0; i < 64 && !c.Closed(); i++ {
				_ = c.Write(chunk)
			}
		},
		close: func(_ *Conn, err error) { closed <- err },
	}
	s := startDetached(t, h, WithMaxQueuedBytes(1<<20))
	_, server := tlsPair(t, ca)
	if err := s.Adopt(server, nil); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-closed:
		if !errors.Is(err, ErrSlowConsumer) {
			t.Fatalf("OnClose: %v, want ErrSlowConsumer", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a peer that never reads was not closed")
	}
}

type pipeSink struct {
	mu     sync.Mutex
	out    []byte
	closed chan struct{}
}

func (p *pipeSink) Receive(b []byte) {
	p.mu.Lock()
	p.out = append(p.out, b...)
	p.mu.Unlock()
}

func (p *pipeSink) Closed() { close(p.closed) }

func TestPipe(t *testing.T) {
	var gotErr error
	h := &funcHandler{
		data: func(c *Conn, in []byte) int {
			n := lineEcho(c, in)
			if bytes.Contains(in[:n], []byte("end\n")) {
				c.CloseAfterFlush(nil)
			}
			return n
		},
		close: func(_ *Conn, err error) { gotErr = err },
	}
	s := startDetached(t, h)
	sink := &pipeSink{closed: make(chan struct{})}
	p, err := s.OpenPipe(nil, netip.MustParseAddrPort("192.0.2.1:1234"), sink)
	if err != nil {
		t.Fatal(err)
	}
	p.Send([]byte("one\ntw"))
	p.Send([]byte("o\nend\n"))
	p.Send([]byte("ignored: the connection is closing\n"))
	select {
	case <-sink.closed:
	case <-time.After(5 * time.Second):
		t.Fatal("pipe not closed")
	}
	sink.mu.Lock()
	defer sink.mu.Unlock()
	if string(sink.out) != "one\ntwo\nend\n" {
		t.Fatalf("out %q", sink.out)
	}
	if !errors.Is(gotErr, ErrLocalClose) {
		t.Fatalf("OnClose: %v", gotErr)
	}
	if s.NumConns() != 0 {
		t.Fatalf("NumConns %d after close", s.NumConns())
	}
}

// TestPipeClosedByPeer: Close from the outside is the peer going away.
func TestPipeClosedByPeer(t *testing.T) {
	errc := make(chan error, 1)
	s := startDetached(t, &funcHandler{close: func(_ *Conn, err error) { errc <- err }})
	sink := &pipeSink{closed: make(chan struct{})}
	p, err := s.OpenPipe(nil, netip.AddrPort{}, sink)
	if err != nil {
		t.Fatal(err)
	}
	p.Close()
	if err := <-errc; err != io.EOF {
		t.Fatalf("OnClose: %v, want io.EOF", err)
	}
	<-sink.closed
}

// TestShutdownClosesAdoptedAndStreams: Shutdown says goodbye to enrolled
// sockets and streams alike, and returns once they are gone.
func TestShutdownClosesAdoptedAndStreams(t *testing.T) {
	ca := testca.New(t)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	s, err := Start(&funcHandler{}, WithNumLoops(2), WithLogger(quiet))
	if err != nil {
		t.Fatal(err)
	}
	plain, server := tcpPair(t)
	if err := s.Adopt(server, nil); err != nil {
		t.Fatal(err)
	}
	client, tserver := tlsPair(t, ca)
	if err := s.Adopt(tserver, nil); err != nil {
		t.Fatal(err)
	}
	go func() { _, _ = io.Copy(io.Discard, plain); plain.Close() }()
	go func() { _, _ = io.Copy(io.Discard, client); client.Close() }()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.Adopt(plain, nil); !errors.Is(err, ErrServerClosed) {
		t.Fatalf("Adopt after Shutdown: %v", err)
	}
}

// TestStaleWriteNeverReachesAdoptedSuccessor: a write through the Conn of a
// closed adopted connection (socket or TLS stream) is dropped, even when
// the next adopted connection got the same descriptor.
func TestStaleWriteNeverReachesAdoptedSuccessor(t *testing.T) {
	ca := testca.New(t)
	for _, useTLS := range []bool{false, true} {
		box := newConnBox()
		closed := make(chan struct{}, 4)
		s := startDetached(t, &funcHandler{open: box.add, close: func(*Conn, error) { closed <- struct{}{} }})
		adopt := func() (net.Conn, *Conn) {
			var client, server net.Conn
			if useTLS {
				client, server = tlsPair(t, ca)
			} else {
				client, server = tcpPair(t)
			}
			if err := s.Adopt(server, nil); err != nil {
				t.Fatal(err)
			}
			return client, box.next(t)
		}
		client1, stale := adopt()
		client1.Close()
		select {
		case <-closed:
		case <-time.After(5 * time.Second):
			t.Fatal("first connection not closed")
		}
		client2, fresh := adopt()
		stale.AsyncWrite([]byte("stale\n"))
		fresh.AsyncWrite([]byte("fresh\n"))
		if got := readLine(t, client2, bufio.NewReader(client2)); got != "fresh\n" {
			t.Fatalf("tls=%v: successor read %q", useTLS, got)
		}
	}
}
