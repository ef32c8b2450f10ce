package engineio

import (
	"testing"
	"time"
)

// SendNow frames the message at once (the caller may reuse its buffer as
// soon as it returns) and keeps the order of home-loop sends.
func TestSendNowOverWebSocketTakesNoBytes(t *testing.T) {
	base, got := startWithSessions(t, suiteConfig(), nil)
	w, _ := dialWSOpen(t, base, "EIO=4&transport=websocket")
	sock := <-got
	onHome(sock, func() {
		buf := []byte("first")
		sock.SendNow(Message{Data: buf})
		copy(buf, "XXXXX") // reused before the flush
		sock.SendNow(Message{Data: []byte("second")})
	})
	for _, want := range []string{"4first", "4second"} {
		if text := w.readText(t); text != want {
			t.Fatalf("got %q, want %q", text, want)
		}
	}
}

func TestSendNowOverPollingKeepsACopy(t *testing.T) {
	base, got := startWithSessions(t, suiteConfig(), nil)
	sid := handshakePolling(t, base, eioPath)
	sock := <-got
	onHome(sock, func() {
		buf := []byte("queued")
		sock.SendNow(Message{Data: buf})
		copy(buf, "XXXXXX")
	})
	if _, body, _ := httpDo(t, "GET", base+eioPath+"?EIO=4&transport=polling&sid="+sid, ""); body != "4queued" {
		t.Fatalf("GET body %q, want 4queued", body)
	}
}

// A closed session sends nothing and does not panic.
func TestSendNowAfterCloseIsDropped(t *testing.T) {
	base, got := startWithSessions(t, suiteConfig(), nil)
	w, _ := dialWSOpen(t, base, "EIO=4&transport=websocket")
	sock := <-got
	onHome(sock, func() {
		sock.closeWith(ReasonForcedClose, "")
		sock.SendNow(Message{Data: []byte("late")})
	})
	if _, frames, ok := w.waitClose(2 * time.Second); !ok || len(frames) != 0 {
		t.Fatalf("closed=%v frames=%q", ok, frames)
	}
}
