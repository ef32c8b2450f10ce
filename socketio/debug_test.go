package socketio

import (
	"strings"
	"testing"

	"github.com/sio-fast/sio-fast/internal/debuglog"
	"github.com/sio-fast/sio-fast/internal/scripttest"
)

// TestDebugScopes: SIO_DEBUG=socket,adapter (set here with Capture) gives a
// record per connect, event, room join, broadcast and disconnect, with the
// engine session id and the namespace; the engine scope stays silent.
func TestDebugScopes(t *testing.T) {
	var w scripttest.LockedBuffer
	restore, err := debuglog.Capture(&w, "socket,adapter")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(restore)

	h := newHarness(t, Config{})
	h.srv.Of("/chat").OnConnection(func(s *Socket) {
		s.On("hi", func(s *Socket, _ Args, _ AckFunc) {
			s.Join("room1")
			_ = h.srv.Of("/chat").To("room1").Emit("news", 1)
		})
	})
	f := h.dial(4)
	f.in("40/chat,")
	f.next(t, 1)
	f.in(`42/chat,["hi",1]`)
	f.next(t, 1)
	f.closeFromPeer("transport close")
	sid := "sid=" + f.id + " nsp=/chat"
	out := w.String()
	for _, want := range []string{
		"msg=connect scope=socket " + sid,
		"msg=event scope=socket " + sid,
		"event=hi ack=-1 args=1",
		"msg=join scope=adapter nsp=/chat",
		"msg=broadcast scope=adapter nsp=/chat rooms=[room1] except=[] recipients=1",
		"msg=disconnect scope=socket " + sid,
		`reason="transport close"`,
		"msg=\"leave all\" scope=adapter nsp=/chat",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in:\n%s", want, out)
		}
	}
	if strings.Contains(out, "scope=engine") {
		t.Errorf("engine records while off:\n%s", out)
	}
}
