package wsclient

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/sio-fast/sio-fast/engineio"
	"github.com/sio-fast/sio-fast/internal/testca"
	"github.com/sio-fast/sio-fast/loop"
	"github.com/sio-fast/sio-fast/socketio"
)

// echoServer serves the bench contract's echo (acknowledged with the
// arguments) over loop.WithTLS, as `sio-fast -mode bench-app -tls-cert`.
func echoServer(t *testing.T, ca *testca.CA) netip.AddrPort {
	t.Helper()
	sio := socketio.NewServer(socketio.Config{})
	sio.OnConnection(func(s *socketio.Socket) {
		s.On("echo", func(_ *socketio.Socket, args socketio.Args, ack socketio.AckFunc) {
			if ack != nil {
				_ = ack(args)
			}
		})
	})
	srv, err := loop.Serve("127.0.0.1:0", sio.NewEngine(engineio.Config{}),
		loop.WithTLS(ca.ServerConfig()), loop.WithNumLoops(1))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	})
	return netip.MustParseAddrPort(srv.Addr().String())
}

func tlsEngine(t *testing.T, addr netip.AddrPort, cfg *tls.Config, n int) *recorder {
	t.Helper()
	rec := &recorder{ready: make(chan *Conn, n), packets: make(chan string, 4*n), closed: make(chan error, n)}
	e, err := New(Config{Server: addr, Handler: rec, MaxFDs: 1 << 16, TLS: cfg, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Close)
	for i := range n {
		if _, err := e.Dial(i, netip.Addr{}); err != nil {
			t.Fatal(err)
		}
	}
	return rec
}

// TestTLSConnectAndEcho: wss:// clients handshake with sio-fast's TLS
// server, connect, and get their echoes acknowledged: small ones, and one
// of 100 KiB that spans several TLS records (and reads) both ways.
func TestTLSConnectAndEcho(t *testing.T) {
	ca := testca.New(t)
	addr := echoServer(t, ca)
	const n = 20
	rec := tlsEngine(t, addr, ca.ClientConfig(), n)
	big := strings.Repeat("z", 100<<10)
	want := map[string]bool{}
	for range n {
		select {
		case c := <-rec.ready:
			arg := fmt.Sprintf(`{"id":%d}`, c.ID)
			if c.ID == 0 {
				arg = `"` + big + `"`
			}
			want[fmt.Sprintf(`3%d[%s]`, c.ID, arg)] = true
			if err := c.Send(AppendText(nil, fmt.Appendf(nil, `42%d["echo",%s]`, c.ID, arg))); err != nil {
				t.Fatal(err)
			}
		case err := <-rec.closed:
			t.Fatalf("closed before ready: %v", err)
		case <-time.After(20 * time.Second):
			t.Fatal("not every client connected")
		}
	}
	for len(want) > 0 {
		select {
		case p := <-rec.packets:
			if !want[p] {
				t.Fatalf("unexpected packet %.80q", p)
			}
			delete(want, p)
		case err := <-rec.closed:
			t.Fatalf("closed: %v", err)
		case <-time.After(20 * time.Second):
			t.Fatalf("%d acks missing", len(want))
		}
	}
}

// TestTLSUntrustedServer: a server certificate the client does not trust
// closes the connection with crypto/tls's verification error, never a
// ready client; InsecureSkipVerify (siobench -tls-insecure) accepts it.
func TestTLSUntrustedServer(t *testing.T) {
	addr := echoServer(t, testca.New(t))
	rec := tlsEngine(t, addr, testca.New(t).ClientConfig(), 1)
	select {
	case err := <-rec.closed:
		var unknown x509.UnknownAuthorityError
		if !errors.As(err, &unknown) {
			t.Fatalf("closed with %v, want an unknown authority", err)
		}
	case <-rec.ready:
		t.Fatal("ready with an untrusted certificate")
	case <-time.After(20 * time.Second):
		t.Fatal("no close")
	}
	rec = tlsEngine(t, addr, &tls.Config{InsecureSkipVerify: true}, 1)
	select {
	case <-rec.ready:
	case err := <-rec.closed:
		t.Fatalf("insecure: closed with %v", err)
	case <-time.After(20 * time.Second):
		t.Fatal("insecure: not ready")
	}
}

// TestTLSPlainServer: a wss:// client against a ws:// server fails its
// handshake instead of hanging.
func TestTLSPlainServer(t *testing.T) {
	sio := socketio.NewServer(socketio.Config{})
	srv, err := loop.Serve("127.0.0.1:0", sio.NewEngine(engineio.Config{}), loop.WithNumLoops(1))
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Shutdown(context.Background())
	rec := tlsEngine(t, netip.MustParseAddrPort(srv.Addr().String()), &tls.Config{InsecureSkipVerify: true}, 1)
	select {
	case err := <-rec.closed:
		if err == nil {
			t.Fatal("closed without an error")
		}
	case <-rec.ready:
		t.Fatal("ready over plain HTTP")
	case <-time.After(20 * time.Second):
		t.Fatal("no close")
	}
}

func TestTLSWithPollingRefused(t *testing.T) {
	_, err := New(Config{Server: netip.MustParseAddrPort("127.0.0.1:1"), Handler: &recorder{},
		TLS: &tls.Config{}, Transport: TransportPollingUpgrade})
	if !errors.Is(err, ErrTransport) {
		t.Fatalf("got %v", err)
	}
}
