package loop

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sio-fast/sio-fast/internal/testca"
)

// tlsServer starts a TLS server for h with a fresh test CA and returns it
// with a client configuration trusting that CA.
func tlsServer(t testing.TB, h Handler, opts ...Option) (*Server, *tls.Config) {
	t.Helper()
	ca := testca.New(t)
	s := startServer(t, h, append([]Option{WithTLS(ca.ServerConfig())}, opts...)...)
	cc := ca.ClientConfig()
	cc.NextProtos = []string{"h2", "http/1.1"} // the server must pick http/1.1
	return s, cc
}

func dialTLS(t testing.TB, s *Server, cc *tls.Config) *tls.Conn {
	t.Helper()
	d := &net.Dialer{Timeout: 5 * time.Second}
	tc, err := tls.DialWithDialer(d, "tcp", s.Addr().String(), cc)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tc.Close() })
	return tc
}

// countingHandler counts the callbacks a handler receives.
type countingHandler struct {
	funcHandler
	opens, closes atomic.Int64
}

func (h *countingHandler) OnOpen(c *Conn) { h.opens.Add(1); h.funcHandler.OnOpen(c) }
func (h *countingHandler) OnClose(c *Conn, err error) {
	h.closes.Add(1)
	h.funcHandler.OnClose(c, err)
}

// Echo over TLS 1.2 (crypto/tls's record layer) and 1.3 (the loop's):
// lines, then a megabyte each way in one go (many records, partial ones
// across reads), with ALPN http/1.1; the client's close_notify ends it.
func TestTLSEcho(t *testing.T) {
	for _, v := range []uint16{tls.VersionTLS12, tls.VersionTLS13} {
		t.Run(tls.VersionName(v), func(t *testing.T) {
			closed := make(chan error, 1)
			loopRecords := make(chan bool, 1)
			open := func(c *Conn) { loopRecords <- c.t.(*tlsTransport).rec != nil }
			s, cc := tlsServer(t, &funcHandler{open: open, data: echoData, close: func(_ *Conn, err error) { closed <- err }})
			cc.MaxVersion = v
			tc := dialTLS(t, s, cc)
			if got, want := <-loopRecords, v == tls.VersionTLS13; got != want {
				t.Fatalf("loop's record layer used: %v, want %v", got, want)
			}
			if st := tc.ConnectionState(); st.NegotiatedProtocol != "http/1.1" || st.Version != v {
				t.Fatalf("negotiated %q, version %x", st.NegotiatedProtocol, st.Version)
			}
			r := bufio.NewReader(tc)
			for _, line := range []string{"hello\n", "over tls\n"} {
				_, _ = tc.Write([]byte(line))
				if got := readLine(t, tc, r); got != line {
					t.Fatalf("got %q, want %q", got, line)
				}
			}
			big := make([]byte, 1<<20)
			_, _ = rand.Read(big)
			go func() { _, _ = tc.Write(big) }()
			got := make([]byte, len(big))
			_ = tc.SetReadDeadline(time.Now().Add(20 * time.Second))
			if _, err := io.ReadFull(r, got); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, big) {
				t.Fatal("echoed megabyte differs")
			}
			_ = tc.Close() // close_notify, then FIN
			select {
			case err := <-closed:
				if err != io.EOF {
					t.Fatalf("OnClose: %v, want io.EOF", err)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("no OnClose")
			}
		})
	}
}

// A handler that consumes nothing until a whole line arrived gets the
// unconsumed plaintext again with the next bytes.
func TestTLSUnconsumedPlaintextIsOfferedAgain(t *testing.T) {
	lineEcho := func(c *Conn, in []byte) int {
		i := bytes.LastIndexByte(in, '\n')
		return echoData(c, in[:i+1]) // whole lines only
	}
	s, cc := tlsServer(t, &funcHandler{data: lineEcho})
	tc := dialTLS(t, s, cc)
	r := bufio.NewReader(tc)
	for _, part := range []string{"sp", "lit ", "line"} {
		_, _ = tc.Write([]byte(part)) // one record each
		time.Sleep(10 * time.Millisecond)
	}
	_, _ = tc.Write([]byte("\nnext\n"))
	if got := readLine(t, tc, r); got != "split line\n" {
		t.Fatalf("got %q", got)
	}
	if got := readLine(t, tc, r); got != "next\n" {
		t.Fatalf("got %q", got)
	}
}

// Plain HTTP on the TLS port gets net/http's 400 and a clean close; the
// handler never hears of the connection.
func TestTLSPortAnswersPlainHTTPWith400(t *testing.T) {
	h := &countingHandler{}
	s, _ := tlsServer(t, h)
	nc := dial(t, s)
	_, _ = io.WriteString(nc, "GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\n\r\n")
	_ = nc.SetReadDeadline(time.Now().Add(5 * time.Second))
	b, err := io.ReadAll(nc)
	if err != nil {
		t.Fatalf("read: %v (got %q)", err, b)
	}
	if !strings.HasPrefix(string(b), "HTTP/1.0 400 Bad Request\r\n") {
		t.Fatalf("got %q", b)
	}
	waitConns(t, s, 0)
	if h.opens.Load() != 0 || h.closes.Load() != 0 {
		t.Fatalf("handler saw %d opens, %d closes", h.opens.Load(), h.closes.Load())
	}
}

// Bad handshakes of every kind are closed, never reach the handler, and
// leave no descriptor behind.
func TestTLSBadHandshakesClosedWithoutLeak(t *testing.T) {
	h := &countingHandler{funcHandler: funcHandler{data: echoData}}
	s, cc := tlsServer(t, h, WithTLSHandshakeTimeout(300*time.Millisecond))
	garbage := make([]byte, 4096)
	_, _ = rand.Read(garbage)
	cases := map[string]func() error{
		"garbage": func() error { return sendAndDrain(t, s, garbage) },
		"silent":  func() error { return sendAndDrain(t, s, nil) }, // handshake timeout
		"half hello": func() error {
			return sendAndDrain(t, s, []byte{0x16, 0x03, 0x01, 0x02, 0x00, 0x01}) // then silence
		},
		"untrusted CA": func() error {
			_, err := tls.Dial("tcp", s.Addr().String(), &tls.Config{ServerName: "127.0.0.1"})
			return wantErr(err)
		},
		"TLS 1.0 only": func() error {
			c := cc.Clone()
			c.MinVersion, c.MaxVersion = tls.VersionTLS10, tls.VersionTLS10
			_, err := tls.Dial("tcp", s.Addr().String(), c)
			return wantErr(err)
		},
		"h2 only": func() error {
			c := cc.Clone()
			c.NextProtos = []string{"h2"}
			_, err := tls.Dial("tcp", s.Addr().String(), c)
			return wantErr(err)
		},
	}
	before := 0
	for round := range 3 {
		if round == 1 {
			// After a first round: the runtime's and the test's own
			// descriptors (poller, resolver) exist by now.
			waitConns(t, s, 0)
			before = openFDs(t)
		}
		for name, run := range cases {
			if err := run(); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
		}
	}
	waitConns(t, s, 0)
	if h.opens.Load() != 0 || h.closes.Load() != 0 {
		t.Fatalf("handler saw %d opens, %d closes", h.opens.Load(), h.closes.Load())
	}
	// A good client is still served afterwards.
	tc := dialTLS(t, s, cc)
	_, _ = tc.Write([]byte("still here\n"))
	if got := readLine(t, tc, bufio.NewReader(tc)); got != "still here\n" {
		t.Fatalf("got %q", got)
	}
	_ = tc.Close()
	waitConns(t, s, 0)
	deadline := time.Now().Add(5 * time.Second)
	for openFDs(t) > before && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := openFDs(t); n > before {
		t.Fatalf("%d descriptors open, %d before", n, before)
	}
}

func wantErr(err error) error {
	if err == nil {
		return errors.New("handshake succeeded")
	}
	return nil
}

// sendAndDrain writes b and reads until the server closes.
func sendAndDrain(t testing.TB, s *Server, b []byte) error {
	nc, err := net.DialTimeout("tcp", s.Addr().String(), 5*time.Second)
	if err != nil {
		return err
	}
	defer nc.Close()
	if len(b) > 0 {
		_, _ = nc.Write(b)
	}
	_ = nc.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, err = io.Copy(io.Discard, nc)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return errors.New("server never closed")
	}
	return nil // EOF or a reset: closed either way
}

func openFDs(t testing.TB) int {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("no /proc/self/fd:", err)
	}
	return len(ents)
}

func waitConns(t testing.TB, s *Server, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for s.NumConns() != n {
		if time.Now().After(deadline) {
			t.Fatalf("%d connections open, want %d", s.NumConns(), n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// serveTLS is servePlain over TLS (the client completes its handshake).
func serveTLS(t *testing.T, h Handler, opts ...Option) (*Server, func() net.Conn) {
	s, cc := tlsServer(t, h, opts...)
	return s, func() net.Conn { return dialTLS(t, s, cc) }
}

// Regression for gnet issue #621 on TLS: a stale write to a closed TLS
// connection must not reach the connection that got its descriptor (it
// would break that one's record stream).
func TestTLSStaleWriteNeverReachesReusedFD(t *testing.T) { testStaleWrite(t, serveTLS) }

// The queue cap counts sealed bytes waiting in gnet: a TLS client that
// does not read (after its handshake) is closed with ErrSlowConsumer, like
// a plain one.
func TestTLSSlowConsumerIsClosed(t *testing.T) { testSlowConsumer(t, serveTLS) }

// Graceful shutdown says goodbye over TLS (close_notify after the last
// bytes) and closes connections still handshaking without the handler.
func TestTLSShutdown(t *testing.T) {
	h := &countingHandler{}
	h.open = func(c *Conn) { _ = c.Write([]byte("hi\n")) }
	s, cc := tlsServer(t, h)
	tc := dialTLS(t, s, cc)
	r := bufio.NewReader(tc)
	if got := readLine(t, tc, r); got != "hi\n" {
		t.Fatalf("got %q", got)
	}
	raw := dial(t, s) // handshaking: sends nothing
	waitConns(t, s, 2)
	done := make(chan error, 1)
	go func() { done <- s.Shutdown(t.Context()) }()
	_ = tc.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := r.ReadByte(); err != io.EOF {
		t.Fatalf("after shutdown: %v, want io.EOF (close_notify)", err)
	}
	_ = tc.Close()
	_ = raw.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.Copy(io.Discard, raw); err != nil {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			t.Fatal("handshaking connection not closed by shutdown")
		}
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if h.opens.Load() != 1 || h.closes.Load() != 1 {
		t.Fatalf("handler saw %d opens, %d closes", h.opens.Load(), h.closes.Load())
	}
}

func TestWithTLSRefusesBadConfigs(t *testing.T) {
	ca := testca.New(t)
	h2 := ca.ServerConfig()
	h2.NextProtos = []string{"h2", "http/1.1"}
	for name, cfg := range map[string]*tls.Config{"no certificate": {}, "h2": h2} {
		if s, err := Serve("127.0.0.1:0", &funcHandler{}, WithTLS(cfg)); err == nil {
			_ = s.Shutdown(t.Context())
			t.Fatalf("%s: Serve accepted it", name)
		}
	}
}

// lockedBuffer is a bytes.Buffer safe for the handshake goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// A configuration chosen per client by GetConfigForClient is served with
// HTTP/1.1 only and the loop's record layer, and its KeyLogWriter still
// gets the secrets.
func TestTLSGetConfigForClientAndKeyLog(t *testing.T) {
	ca := testca.New(t)
	var keyLog lockedBuffer
	cfg := &tls.Config{GetConfigForClient: func(*tls.ClientHelloInfo) (*tls.Config, error) {
		sub := ca.ServerConfig()
		sub.NextProtos = []string{"h2", "http/1.1"}
		sub.KeyLogWriter = &keyLog
		return sub, nil
	}}
	loopRecords := make(chan bool, 1)
	open := func(c *Conn) { loopRecords <- c.t.(*tlsTransport).rec != nil }
	s := startServer(t, &funcHandler{open: open, data: echoData}, WithTLS(cfg))
	cc := ca.ClientConfig()
	cc.NextProtos = []string{"h2", "http/1.1"}
	tc := dialTLS(t, s, cc)
	if p := tc.ConnectionState().NegotiatedProtocol; p != "http/1.1" {
		t.Fatalf("negotiated %q", p)
	}
	if !<-loopRecords {
		t.Fatal("crypto/tls's record layer kept")
	}
	_, _ = tc.Write([]byte("echo\n"))
	if got := readLine(t, tc, bufio.NewReader(tc)); got != "echo\n" {
		t.Fatalf("got %q", got)
	}
	if !strings.Contains(keyLog.String(), "SERVER_TRAFFIC_SECRET_0 ") {
		t.Fatalf("key log: %q", keyLog.String())
	}
}

// chachaClient is a Node TLS client that offers only ChaCha20-Poly1305 in
// TLS 1.3: it sends a line and prints the cipher and the line echoed.
const chachaClient = `
const tls = require('tls');
const [port, ca] = process.argv.slice(1);
const s = tls.connect({ host: '127.0.0.1', port: +port, ca: require('fs').readFileSync(ca),
  minVersion: 'TLSv1.3', ciphers: 'TLS_CHACHA20_POLY1305_SHA256' }, () => s.write('chacha\n'));
let got = '';
s.on('data', (d) => { got += d; if (got.endsWith('\n')) { console.log(s.getCipher().name + ' ' + got.trim()); s.end(); } });
s.on('error', (e) => { console.error(e.message); process.exit(1); });
`

// A suite the loop's record layer does not implement (ChaCha20-Poly1305)
// keeps crypto/tls's, driven by the loop the same way.
func TestTLSChaCha20KeepsCryptoTLSRecords(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not installed (scripts/ci-setup.sh installs it)")
	}
	ca := testca.New(t)
	loopRecords := make(chan bool, 1)
	open := func(c *Conn) { loopRecords <- c.t.(*tlsTransport).rec != nil }
	s := startServer(t, &funcHandler{open: open, data: echoData}, WithTLS(ca.ServerConfig()))
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	_, port, _ := net.SplitHostPort(s.Addr().String())
	out, err := exec.CommandContext(ctx, node, "-e", chachaClient, port, ca.CertFile).CombinedOutput()
	if err != nil {
		t.Fatalf("node: %v: %s", err, out)
	}
	if got := strings.TrimSpace(string(out)); got != "TLS_CHACHA20_POLY1305_SHA256 chacha" {
		t.Fatalf("node printed %q", got)
	}
	if <-loopRecords {
		t.Fatal("the loop's record layer took a ChaCha20 connection")
	}
}
