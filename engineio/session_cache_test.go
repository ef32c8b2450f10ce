package engineio

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/sio-fast/sio-fast/loop"
)

// TestNextGetAfterCloseOnSameConn: a long-poll's next GET on the same
// connection finds its session without the registry (Server.session), but
// not once the session is closed: then it is refused as an unknown sid,
// exactly as on another connection, OnConnectionError included (a closed
// session taken from the connection would have answered the same 400 from
// its home loop without reporting the error).
func TestNextGetAfterCloseOnSameConn(t *testing.T) {
	srv := NewServer(Config{})
	var opened []*Socket
	var errs []int
	srv.OnConnection(func(s *Socket) { opened = append(opened, s) })
	srv.OnConnectionError(func(e *ConnError) { errs = append(errs, e.Code) })
	m := loop.NewMemory(srv)
	defer m.Close()
	defer srv.Close()
	p := m.Dial(netip.MustParseAddrPort("127.0.0.1:40000"))
	p.Send([]byte(benchPollHandshake))
	if _, closed := p.Recv(time.Second); closed || len(opened) != 1 {
		t.Fatalf("handshake: %d sessions", len(opened))
	}
	s := opened[0]
	get := fmt.Appendf(nil, "GET /engine.io/?EIO=4&transport=polling&sid=%s HTTP/1.1\r\nHost: x\r\n\r\n", s.ID())
	recv := func() string {
		t.Helper()
		b, _ := p.Recv(time.Second)
		return string(b)
	}
	// Two long-polls on the connection: the second finds the session the
	// first parked there.
	for i := range 2 {
		p.Send(get)
		s.Send(Message{Data: []byte(fmt.Sprint("m", i))})
		if resp := recv(); !strings.HasPrefix(resp, "HTTP/1.1 200 ") || !strings.HasSuffix(resp, fmt.Sprint("\r\n\r\n4m", i)) {
			t.Fatalf("poll %d: %q", i, resp)
		}
	}
	p.Send(get) // parked
	s.Close()
	if resp := recv(); !strings.HasSuffix(resp, "\r\n\r\n1") {
		t.Fatalf("parked GET at close: %q", resp)
	}
	m.Tick(0)
	if s.ReadyState() != StateClosed || len(errs) != 0 {
		t.Fatalf("session %s, errors %v", s.ReadyState(), errs)
	}
	p.Send(get)
	if resp := recv(); !strings.HasPrefix(resp, "HTTP/1.1 400 ") || !strings.HasSuffix(resp, unknownSID) {
		t.Fatalf("GET after close: %q", resp)
	}
	m.Tick(0)
	if len(errs) != 1 || errs[0] != CodeUnknownSID {
		t.Fatalf("connection errors %v, want one of code %d", errs, CodeUnknownSID)
	}
}
