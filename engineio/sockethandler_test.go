package engineio

import (
	"testing"
	"time"
)

// eventLog is a Handler that also implements UpgradeHandler and DrainHandler.
type eventLog struct{ ch chan string }

func (l eventLog) OnMessage(data []byte, _ bool) { l.ch <- "message " + string(data) }
func (l eventLog) OnClose(reason, _ string)      { l.ch <- "close " + reason }
func (l eventLog) OnUpgrade()                    { l.ch <- "upgrade" }
func (l eventLog) OnDrain()                      { l.ch <- "drain" }

func (l eventLog) expect(t *testing.T, want string) {
	t.Helper()
	select {
	case got := <-l.ch:
		if got != want {
			t.Fatalf("event %q, want %q", got, want)
		}
	case <-time.After(3 * time.Second):
		t.Fatalf("no event, want %q", want)
	}
}

// One Handler receives every event of a session, the optional ones included.
func TestSetHandlerReceivesEveryEvent(t *testing.T) {
	log := eventLog{ch: make(chan string, 16)}
	socks := make(chan *Socket, 1)
	_, base := startServer(t, suiteConfig(), func(srv *Server) {
		srv.OnConnection(func(s *Socket) { s.SetHandler(log); socks <- s })
	})
	sid := handshakePolling(t, base, eioPath)
	s := <-socks
	url := base + eioPath + "?EIO=4&transport=polling&sid=" + sid
	if code, _, _ := httpDo(t, "POST", url, "4hi"); code != 200 {
		t.Fatalf("POST: %d", code)
	}
	log.expect(t, "message hi")
	s.SendText([]byte("out"))
	if _, body, _ := httpDo(t, "GET", url, ""); body != "4out" {
		t.Fatalf("GET %q", body)
	}
	log.expect(t, "drain")

	w := dialWS(t, base, "EIO=4&transport=websocket&sid="+sid)
	w.sendText(t, "2probe")
	if got := w.readText(t); got != "3probe" {
		t.Fatalf("probe answer %q", got)
	}
	w.sendText(t, "5")
	log.expect(t, "upgrade")
	w.sendText(t, "4ws")
	log.expect(t, "message ws")
	s.Close()
	log.expect(t, "close "+ReasonForcedClose)
}

// The callback setters replace a Handler, and SetHandler replaces callbacks:
// whichever was set last receives the events.
func TestSetHandlerAndCallbacksReplaceEachOther(t *testing.T) {
	s := &Socket{}
	log := eventLog{ch: make(chan string, 4)}
	s.SetHandler(log)
	var got string
	s.OnMessage(func(data []byte, _ bool) { got = string(data) })
	s.h.OnMessage([]byte("a"), false)
	if got != "a" || len(log.ch) != 0 {
		t.Fatalf("callback got %q, handler got %d events", got, len(log.ch))
	}
	s.OnClose(func(string, string) {}) // keeps the message callback
	s.h.OnMessage([]byte("b"), false)
	if got != "b" {
		t.Fatalf("message callback lost after OnClose: %q", got)
	}
	s.SetHandler(log)
	s.h.OnMessage([]byte("c"), false)
	log.expect(t, "message c")
	if got != "b" {
		t.Fatalf("replaced callback still called: %q", got)
	}
}
