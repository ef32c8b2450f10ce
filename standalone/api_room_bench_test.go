package standalone

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/sio-fast/sio-fast/engineio"
	"github.com/sio-fast/sio-fast/socketio"
)

// inline runs loop work at once: a stand-in for the event loops, so the
// benchmark measures the handler and the fan-out on one goroutine.
type inline struct{}

func (inline) Execute(fn func()) { fn() }

// nullSession is an Engine.IO session that counts what it is sent and
// drops it: the server side of a connected client without a network.
type nullSession struct {
	id     string
	writes *atomic.Int64
	onMsg  func([]byte, bool)
}

func (n *nullSession) ID() string                          { return n.id }
func (*nullSession) Protocol() int                         { return 4 }
func (*nullSession) Transport() string                     { return "websocket" }
func (*nullSession) RemoteAddr() netip.AddrPort            { return netip.MustParseAddrPort("127.0.0.1:5000") }
func (*nullSession) Header() http.Header                   { return http.Header{} }
func (*nullSession) Query() url.Values                     { return url.Values{"EIO": {"4"}} }
func (*nullSession) URL() string                           { return "/socket.io/?EIO=4&transport=websocket" }
func (*nullSession) Secure() bool                          { return false }
func (*nullSession) Home() socketio.Executor               { return inline{} }
func (*nullSession) Execute(fn func())                     { fn() }
func (*nullSession) OnHome(socketio.Executor) bool         { return true }
func (*nullSession) Reroute(_ socketio.Executor, f func()) { f() }
func (n *nullSession) Send(...engineio.Message)            { n.writes.Add(1) }
func (n *nullSession) SendNow(engineio.Message)            { n.writes.Add(1) }
func (n *nullSession) WritePrepared(*engineio.Prepared, bool) bool {
	n.writes.Add(1)
	return true
}
func (*nullSession) Close()                          {}
func (*nullSession) CloseNow() bool                  { return false }
func (n *nullSession) SetHandler(h engineio.Handler) { n.onMsg = h.OnMessage }

// roomServer is a server whose "/" has n connected sockets in room "big",
// one in ten also in "tenth"; writes counts what they are sent.
func roomServer(b *testing.B, n int) (s *Server, writes *atomic.Int64) {
	cfg, _, err := Load([]string{"-api-keys", testAPIKey, "-demo=false"}, nil)
	if err != nil {
		b.Fatal(err)
	}
	if s, err = New(cfg, quietLogger()); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.SIO.Close() })
	writes = new(atomic.Int64)
	for i := range n {
		ns := &nullSession{id: fmt.Sprintf("null%016d", i), writes: writes}
		s.SIO.HandleEngineSocket(ns)
		ns.onMsg([]byte("0"), false)
	}
	socks := s.SIO.Sockets().Sockets()
	if len(socks) != n {
		b.Fatalf("%d sockets connected, want %d", len(socks), n)
	}
	for i, sock := range socks {
		sock.Join("big")
		if i%10 == 0 {
			sock.Join("tenth")
		}
	}
	return s, writes
}

// BenchmarkAPIEmitRoom10k: POST /api/emit through the API handler (key
// check, JSON decoding, recipient count, fan-out to 10,000 sessions that
// drop what they get, JSON answer), to a room and to a room minus
// another; ns/recipient is the API's cost per delivery. "direct" is the
// same fan-out emitted by the server (as from a client event's handler),
// without the API: the baseline of the API's overhead.
func BenchmarkAPIEmitRoom10k(b *testing.B) {
	const n = 10000
	s, writes := roomServer(b, n)
	h := s.HTTPHandler()
	for _, c := range []struct{ name, body, answer string }{
		{"room", `{"rooms":["big"],"event":"tick","args":[{"n":1}]}`, `{"recipients":10000}`},
		{"except", `{"rooms":["big"],"except":["tenth"],"event":"tick","args":[{"n":1}]}`, `{"recipients":9000}`},
	} {
		b.Run(c.name, func(b *testing.B) {
			before := writes.Load()
			b.ReportAllocs()
			for b.Loop() {
				req := httptest.NewRequest("POST", "/api/emit", strings.NewReader(c.body))
				req.Header.Set("Authorization", "apikey "+testAPIKey)
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code != 200 || strings.TrimSpace(w.Body.String()) != c.answer {
					b.Fatalf("%d %s, want %s", w.Code, w.Body, c.answer)
				}
			}
			perRecipient(b, writes.Load()-before)
		})
	}
	b.Run("direct", func(b *testing.B) {
		before := writes.Load()
		args := map[string]int{"n": 1}
		b.ReportAllocs()
		for b.Loop() {
			if err := s.SIO.To("big").Emit("tick", args); err != nil {
				b.Fatal(err)
			}
		}
		perRecipient(b, writes.Load()-before)
	})
}

// perRecipient reports the time per delivered packet.
func perRecipient(b *testing.B, delivered int64) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(delivered), "ns/recipient")
}
