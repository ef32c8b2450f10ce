package socketio

import (
	"io"
	"log/slog"
	"testing"

	"github.com/sio-fast/sio-fast/socketio/parser"
)

// benchServer connects n sockets spread over loops synchronous loops; the
// fake sessions only count writes.
func benchServer(tb testing.TB, n, loops int, setup func(*Server)) (*Server, []*fakeES) {
	tb.Helper()
	return benchServerWith(tb, Config{}, n, loops, setup)
}

// benchServerWith is benchServer with cfg (ConnectTimeout and Logger are
// set here); the sockets connect in cfg.Parser's format.
func benchServerWith(tb testing.TB, cfg Config, n, loops int, setup func(*Server)) (*Server, []*fakeES) {
	tb.Helper()
	cfg.ConnectTimeout, cfg.Logger = -1, slog.New(slog.NewTextHandler(io.Discard, nil))
	srv := NewServer(cfg)
	tb.Cleanup(func() { _ = srv.Close() })
	connect, binary := []byte("0"), false
	if cfg.Parser != nil {
		connect, _, _ = cfg.Parser.AppendPacket(nil, &parser.Packet{Type: parser.Connect, Namespace: "/", ID: -1})
		binary = true
	}
	if setup != nil {
		setup(srv)
	}
	execs := make([]*syncExec, loops)
	for i := range execs {
		execs[i] = &syncExec{}
	}
	fs := make([]*fakeES, n)
	for i := range fs {
		f := newFakeES(execs[i%loops], 4)
		f.countOnly = true
		srv.HandleEngineSocket(f)
		f.onMsg(connect, binary)
		fs[i] = f
	}
	return srv, fs
}

// BenchmarkBroadcast10k: one broadcast to 10,000 sockets on 4 loops.
func BenchmarkBroadcast10k(b *testing.B) {
	srv, _ := benchServer(b, 10000, 4, nil)
	b.ReportAllocs()
	for b.Loop() {
		_ = srv.Emit("news", "hello", 42)
	}
}

// BenchmarkBroadcastRoom: a room of 1,000 out of 10,000, except one member.
func BenchmarkBroadcastRoom(b *testing.B) {
	srv, _ := benchServer(b, 10000, 4, nil)
	for i, s := range srv.Sockets().Sockets() {
		if i%10 == 0 {
			s.Join("r")
		}
	}
	op := srv.To("r").Except("nobody")
	b.ReportAllocs()
	for b.Loop() {
		_ = op.Emit("news", "hello")
	}
}

// BenchmarkEchoWithAck: one incoming event with ack id, answered by the
// handler with the same arguments.
func BenchmarkEchoWithAck(b *testing.B) {
	_, fs := benchServer(b, 1, 1, func(srv *Server) {
		srv.OnConnection(func(s *Socket) {
			s.On("ack", func(_ *Socket, a Args, ack AckFunc) { ack(a) })
		})
	})
	msg := []byte(`217["ack","hello",{"n":1}]`)
	b.ReportAllocs()
	for b.Loop() {
		fs[0].onMsg(msg, false)
	}
}

// BenchmarkEmitEcho: incoming event re-emitted to the sender.
func BenchmarkEmitEcho(b *testing.B) {
	_, fs := benchServer(b, 1, 1, func(srv *Server) {
		srv.OnConnection(func(s *Socket) {
			s.On("echo", func(s *Socket, a Args, _ AckFunc) { _ = s.Emit("echo", a) })
		})
	})
	msg := []byte(`2["echo","hello",{"n":1}]`)
	b.ReportAllocs()
	for b.Loop() {
		fs[0].onMsg(msg, false)
	}
}

// BenchmarkEmitEchoNoWatchdog is BenchmarkEmitEcho with the stall watchdog
// off: the difference is what the watchdog costs per packet.
func BenchmarkEmitEchoNoWatchdog(b *testing.B) {
	_, fs := benchServerWith(b, Config{StallThreshold: -1}, 1, 1, func(srv *Server) {
		srv.OnConnection(func(s *Socket) {
			s.On("echo", func(s *Socket, a Args, _ AckFunc) { _ = s.Emit("echo", a) })
		})
	})
	msg := []byte(`2["echo","hello",{"n":1}]`)
	b.ReportAllocs()
	for b.Loop() {
		fs[0].onMsg(msg, false)
	}
}

// BenchmarkArgsRead: a handler reading a string and an integer argument
// (each accessor checks the Args' lease).
func BenchmarkArgsRead(b *testing.B) {
	var sink int64
	_, fs := benchServer(b, 1, 1, func(srv *Server) {
		srv.OnConnection(func(s *Socket) {
			s.On("read", func(_ *Socket, a Args, _ AckFunc) {
				str, _ := a.String(0)
				n, _ := a.Int(1)
				sink += int64(len(str)) + n
			})
		})
	})
	msg := []byte(`2["read","hello",42]`)
	b.ReportAllocs()
	for b.Loop() {
		fs[0].onMsg(msg, false)
	}
	_ = sink
}
