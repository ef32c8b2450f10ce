package socketio

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sio-fast/sio-fast/engineio"
)

// fakeLoop is an event loop: one goroutine running queued functions.
type fakeLoop struct {
	mu   sync.Mutex
	cond *sync.Cond
	q    []func()
	stop bool
}

func newFakeLoop(t testing.TB) *fakeLoop {
	l := &fakeLoop{}
	l.cond = sync.NewCond(&l.mu)
	go l.run()
	t.Cleanup(func() { l.mu.Lock(); l.stop = true; l.cond.Broadcast(); l.mu.Unlock() })
	return l
}

func (l *fakeLoop) run() {
	for {
		l.mu.Lock()
		for len(l.q) == 0 && !l.stop {
			l.cond.Wait()
		}
		if l.stop {
			l.mu.Unlock()
			return
		}
		fn := l.q[0]
		l.q = l.q[1:]
		l.mu.Unlock()
		fn()
	}
}

func (l *fakeLoop) Execute(fn func()) {
	l.mu.Lock()
	l.q = append(l.q, fn)
	l.cond.Signal()
	l.mu.Unlock()
}

// Do runs fn on the loop and waits for it and everything it queued on the
// loop meanwhile.
func (l *fakeLoop) Do(fn func()) {
	done := make(chan struct{})
	l.Execute(func() { fn(); l.Execute(func() { close(done) }) })
	<-done
}

// syncExec runs functions at once (alloc tests and benchmarks).
type syncExec struct{ _ byte }

func (*syncExec) Execute(fn func()) { fn() }

// fakeES is an in-memory EngineSocket recording what the server sends.
type fakeES struct {
	id          string
	proto       int
	home        Executor
	header      http.Header
	query       url.Values
	countOnly   bool
	writes      atomic.Int64
	notWritable atomic.Bool

	mu      sync.Mutex
	sent    []engineio.Message
	read    int
	closed  bool
	onMsg   func([]byte, bool)
	onClose func(string, string)
}

var esSeq atomic.Int64

func newFakeES(home Executor, proto int) *fakeES {
	return &fakeES{
		id: fmt.Sprintf("engine%014d", esSeq.Add(1)), proto: proto, home: home,
		header: http.Header{"Origin": {"http://x"}}, query: url.Values{"EIO": {"4"}, "transport": {"websocket"}},
	}
}

func (f *fakeES) ID() string                    { return f.id }
func (f *fakeES) Protocol() int                 { return f.proto }
func (f *fakeES) Transport() string             { return "websocket" }
func (f *fakeES) RemoteAddr() netip.AddrPort    { return netip.MustParseAddrPort("127.0.0.1:5000") }
func (f *fakeES) Header() http.Header           { return f.header }
func (f *fakeES) Query() url.Values             { return f.query }
func (f *fakeES) URL() string                   { return "/socket.io/?EIO=4&transport=websocket" }
func (f *fakeES) Secure() bool                  { return false }
func (f *fakeES) Home() Executor                { return f.home }
func (f *fakeES) Execute(fn func())             { f.home.Execute(fn) }
func (f *fakeES) OnHome(e Executor) bool        { return e == f.home }
func (f *fakeES) Reroute(_ Executor, fn func()) { f.home.Execute(fn) }
func (f *fakeES) SetHandler(h engineio.Handler) { f.onMsg, f.onClose = h.OnMessage, h.OnClose }

func (f *fakeES) Send(msgs ...engineio.Message) {
	if f.countOnly {
		f.writes.Add(1)
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.closed {
		f.sent = append(f.sent, msgs...)
	}
}

// SendNow copies: the caller may reuse the bytes when it returns.
func (f *fakeES) SendNow(m engineio.Message) {
	m.Data = bytes.Clone(m.Data)
	f.Send(m)
}

func (f *fakeES) WritePrepared(p *engineio.Prepared, volatile bool) bool {
	if volatile && f.notWritable.Load() {
		return false
	}
	if f.countOnly {
		f.writes.Add(1)
		return true
	}
	f.Send(p.Messages()...)
	return true
}

func (f *fakeES) Close() {
	f.mu.Lock()
	was := f.closed
	f.closed = true
	f.mu.Unlock()
	if !was && f.onClose != nil {
		f.home.Execute(func() { f.onClose("forced close", "") })
	}
}

// CloseNow closes at once, as a WebSocket does. Home loop.
func (f *fakeES) CloseNow() bool {
	f.mu.Lock()
	if f.closed {
		f.mu.Unlock()
		return false
	}
	f.closed = true
	f.mu.Unlock()
	if f.onClose != nil {
		f.onClose("forced close", "")
	}
	return true
}

func (f *fakeES) isClosed() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.closed
}

// closeFromPeer simulates the engine closing with reason.
func (f *fakeES) closeFromPeer(reason string) {
	f.mu.Lock()
	f.closed = true
	f.mu.Unlock()
	f.home.(*fakeLoop).Do(func() { f.onClose(reason, "") })
}

// harness wires a server to fake sessions on one fake loop.
type harness struct {
	t    *testing.T
	srv  *Server
	loop *fakeLoop
}

func newHarness(t *testing.T, cfg Config) *harness {
	t.Helper()
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = time.Minute
	}
	h := &harness{t: t, srv: NewServer(cfg), loop: newFakeLoop(t)}
	t.Cleanup(h.srv.watch.close) // tests rarely Close their server: stop its watchdog
	return h
}

func (h *harness) dial(proto int) *fakeES {
	f := newFakeES(h.loop, proto)
	h.loop.Do(func() { h.srv.HandleEngineSocket(f) })
	return f
}

// in delivers wire-format messages: "4..." text (the engine's message type
// is stripped) or "b<base64>" binary, as the engine would.
func (f *fakeES) in(wire ...string) {
	l := f.home.(*fakeLoop)
	for _, w := range wire {
		if d, ok := strings.CutPrefix(w, "b"); ok {
			bin, _ := base64.StdEncoding.DecodeString(d)
			l.Do(func() { f.onMsg(bin, true) })
			continue
		}
		data := []byte(strings.TrimPrefix(w, "4"))
		l.Do(func() { f.onMsg(data, false) })
	}
}

// inPoll delivers a polling POST body (records separated by \x1e).
func (f *fakeES) inPoll(body string) { f.in(strings.Split(body, "\x1e")...) }

var sidRe = regexp.MustCompile(`"sid":"[A-Za-z0-9_-]{20}"`)

func wireOf(m engineio.Message) string {
	if m.Binary {
		return "b" + base64.StdEncoding.EncodeToString(m.Data)
	}
	return sidRe.ReplaceAllString("4"+string(m.Data), `"sid":"…"`)
}

// next waits for n more messages and returns them in wire form.
func (f *fakeES) next(t testing.TB, n int) []string {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for {
		f.mu.Lock()
		if len(f.sent)-f.read >= n {
			out := make([]string, n)
			for i := range out {
				out[i] = wireOf(f.sent[f.read+i])
			}
			f.read += n
			f.mu.Unlock()
			return out
		}
		got := len(f.sent) - f.read
		f.mu.Unlock()
		if time.Now().After(deadline) {
			t.Fatalf("timeout waiting for %d messages, have %d", n, got)
		}
		time.Sleep(time.Millisecond)
	}
}

// expect checks the next messages against want (wire form).
func (f *fakeES) expect(t testing.TB, want ...string) {
	t.Helper()
	got := f.next(t, len(want))
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("message %d:\n got %q\nwant %q", i, got[i], want[i])
		}
	}
}

// expectPoll checks the next messages as one polling payload.
func (f *fakeES) expectPoll(t testing.TB, want string) {
	t.Helper()
	n := strings.Count(want, "\x1e") + 1
	if got := strings.Join(f.next(t, n), "\x1e"); got != want {
		t.Fatalf("poll:\n got %q\nwant %q", got, want)
	}
}

// expectNone checks nothing more was sent within d.
func (f *fakeES) expectNone(t testing.TB, d time.Duration) {
	t.Helper()
	time.Sleep(d)
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.sent) > f.read {
		t.Fatalf("unexpected message %q", wireOf(f.sent[f.read]))
	}
}

// waitClosed waits until the session is closed.
func (f *fakeES) waitClosed(t testing.TB, d time.Duration) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !f.isClosed() {
		if time.Now().After(deadline) {
			t.Fatal("session not closed")
		}
		time.Sleep(time.Millisecond)
	}
}

// echoServer installs the conformance-suite handlers on nsps.
func echoServer(srv *Server, nsps ...string) {
	for _, name := range append([]string{"/"}, nsps...) {
		srv.Of(name).OnConnection(func(s *Socket) {
			_ = s.Emit("auth", s.Handshake().Auth)
			s.On("message", func(s *Socket, args Args, _ AckFunc) { _ = s.Emit("message-back", args) })
			s.On("message-with-ack", func(_ *Socket, args Args, ack AckFunc) {
				if ack != nil {
					ack(args)
				}
			})
		})
	}
}

// waitFor polls cond.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timeout waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}
