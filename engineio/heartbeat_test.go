package engineio

import (
	"strings"
	"testing"
	"time"

	"github.com/sio-fast/sio-fast/internal/looptest"
	"github.com/sio-fast/sio-fast/loop"
)

// coarseServer serves an echo server with suiteConfig (pingInterval 300 ms,
// pingTimeout 200 ms) whose loops tick every 500 ms, ten times the default:
// a deadline honoured only at the wheel's ticks would be seen hundreds of
// milliseconds late, so the margins of these tests (100 ms) tell the two
// apart even on a loaded machine. Session closes go to log.
func coarseServer(t *testing.T, log *closeLog) string {
	t.Helper()
	srv := NewServer(suiteConfig())
	log.attach(srv)
	ls := looptest.Serve(t, srv, loop.WithTickInterval(500*time.Millisecond))
	return looptest.URL(ls)
}

const unknownSID = `{"code":1,"message":"Session ID unknown"}`

// pollURL returns the polling URL of session sid.
func pollURL(base, sid string) string {
	return base + eioPath + "?EIO=4&transport=polling&sid=" + sid
}

// firstPing opens a polling session and waits for its first ping; it
// returns the session's URL and when the ping arrived.
func firstPing(t *testing.T, base string) (string, time.Time) {
	t.Helper()
	url := pollURL(base, handshakePolling(t, base, eioPath))
	if code, body, _ := httpDo(t, "GET", url, ""); code != 200 || body != "2" {
		t.Fatalf("first GET: %d %q, want the ping", code, body)
	}
	return url, time.Now()
}

// checkPingAfterPong checks that a ping just received came no earlier than
// pingInterval after the pong sent at ponged, and that the session lives.
func checkPingAfterPong(t *testing.T, log *closeLog, ponged time.Time) {
	t.Helper()
	if el := time.Since(ponged); el < suiteConfig().PingInterval {
		t.Fatalf("next ping %v after the pong, before pingInterval", el)
	}
	select {
	case r := <-log.ch:
		t.Fatalf("session closed: %q", r)
	default:
	}
}

// A pong 50 ms into the 200 ms pong deadline keeps the session, and the
// next ping comes pingInterval after that pong, never earlier.
func TestPollingPongBeforeDeadline(t *testing.T) {
	log := newCloseLog()
	base := coarseServer(t, log)
	url, pinged := firstPing(t, base)
	time.Sleep(time.Until(pinged.Add(50 * time.Millisecond)))
	ponged := time.Now() // the server gets the pong after this
	if code, body, _ := httpDo(t, "POST", url, "3"); code != 200 || body != "ok" {
		t.Fatalf("pong POST: %d %q", code, body)
	}
	code, body, _ := httpDo(t, "GET", url, "")
	if code != 200 || body != "2" {
		t.Fatalf("GET after the pong: %d %q, want the next ping", code, body)
	}
	checkPingAfterPong(t, log, ponged)
}

// A GET or POST 100 ms after the pong deadline finds the session gone:
// 400 "Session ID unknown", as Node answers, and the session ended with
// "ping timeout" (a late pong is not delivered). With a deadline honoured
// at the wheel's 500 ms ticks the GET would have been parked on a live
// session and the POST answered "ok".
func TestPollingRequestAfterPongDeadline(t *testing.T) {
	for _, method := range []string{"GET", "POST"} {
		t.Run(method, func(t *testing.T) {
			log := newCloseLog()
			base := coarseServer(t, log)
			url, pinged := firstPing(t, base)
			time.Sleep(time.Until(pinged.Add(300 * time.Millisecond)))
			if code, body, _ := httpDo(t, method, url, "3"); code != 400 || body != unknownSID {
				t.Fatalf("late %s: %d %q, want 400 %s", method, code, body, unknownSID)
			}
			if r := log.next(t, time.Second); r != ReasonPingTimeout+"|" {
				t.Fatalf("reason %q", r)
			}
		})
	}
}

// A GET parked when the pong deadline passes gets the close packet, as
// Node's polling transport sends when the server closes it.
func TestPollingParkedGetAtPongDeadline(t *testing.T) {
	log := newCloseLog()
	base := coarseServer(t, log)
	url, _ := firstPing(t, base)
	if code, body, _ := httpDo(t, "GET", url, ""); code != 200 || body != "1" {
		t.Fatalf("parked GET: %d %q, want the close packet", code, body)
	}
	if r := log.next(t, time.Second); r != ReasonPingTimeout+"|" {
		t.Fatalf("reason %q", r)
	}
}

// WebSocket: a pong 50 ms into the 200 ms pong deadline keeps the session
// (a message is echoed), and the next ping comes no earlier than
// pingInterval after the pong.
func TestWSPongBeforeDeadline(t *testing.T) {
	log := newCloseLog()
	base := coarseServer(t, log)
	w, _ := dialWSOpen(t, base, wsQuery)
	if got := w.readText(t); got != "2" {
		t.Fatalf("%q, want ping", got)
	}
	time.Sleep(50 * time.Millisecond)
	ponged := time.Now() // the server gets the pong after this
	w.sendText(t, "3")
	w.sendText(t, "4still here")
	if got := w.readText(t); got != "4still here" {
		t.Fatalf("after the pong: %q", got)
	}
	if got := w.readText(t); got != "2" {
		t.Fatalf("%q, want the next ping", got)
	}
	checkPingAfterPong(t, log, ponged)
}

// WebSocket: a message 100 ms after the pong deadline is not echoed, the
// session having ended with "ping timeout".
func TestWSMessageAfterPongDeadline(t *testing.T) {
	log := newCloseLog()
	base := coarseServer(t, log)
	w, _ := dialWSOpen(t, base, wsQuery)
	if got := w.readText(t); got != "2" {
		t.Fatalf("%q, want ping", got)
	}
	time.Sleep(300 * time.Millisecond)
	w.sendText(t, "4too late")
	_, frames, ok := w.waitClose(2 * time.Second)
	if !ok {
		t.Fatal("session not closed")
	}
	if len(frames) != 0 {
		t.Fatalf("the session answered %q after its deadline", frames)
	}
	if r := log.next(t, time.Second); r != ReasonPingTimeout+"|" {
		t.Fatalf("reason %q", r)
	}
}

// A send to a session whose pong deadline has passed, before the wheel
// fired it, finds the session closed with "ping timeout" and writes
// nothing: the check at the observation point. The loops here tick every
// 500 ms without wake-ups in between, so the wheel is not what closes it
// (unless a tick falls in the 5 ms between the two steps; the outcome is
// the same then).
func TestSendAfterDeadlineClosesSession(t *testing.T) {
	for _, transport := range []string{"polling", "websocket"} {
		t.Run(transport, func(t *testing.T) {
			cfg := suiteConfig()
			cfg.PingInterval = time.Minute
			log := newCloseLog()
			sessions := make(chan *Socket, 1)
			srv := NewServer(cfg)
			srv.OnConnection(func(s *Socket) {
				s.OnClose(func(reason, desc string) { log.ch <- reason + "|" + desc })
				sessions <- s
			})
			tick := 500 * time.Millisecond
			base := looptest.URL(looptest.Serve(t, srv, loop.WithTickInterval(tick), loop.WithTimerPrecision(tick)))
			var w *wsClient
			if transport == "polling" {
				handshakePolling(t, base, eioPath)
			} else {
				w, _ = dialWSOpen(t, base, wsQuery)
			}
			s := <-sessions
			// As if a ping went out and its pong deadline is now.
			onHome(s, func() {
				s.pongPending = true
				s.homeLoop().Arm(&s.heartbeat, 0)
			})
			time.Sleep(5 * time.Millisecond)
			var wrote bool
			onHome(s, func() { wrote = s.WritePrepared(NewPrepared(Message{Data: []byte("late")}), false) })
			if wrote {
				t.Fatal("message written to an expired session")
			}
			if r := log.next(t, time.Second); r != ReasonPingTimeout+"|" {
				t.Fatalf("reason %q", r)
			}
			if w != nil {
				if _, frames, ok := w.waitClose(2 * time.Second); !ok || len(frames) != 0 {
					t.Fatalf("closed %v, frames %q", ok, frames)
				}
			}
		})
	}
}

// Engine.IO 6.6 over polling: while a pong is awaited, the first other
// packet moves the pong deadline once. Ping at t0 (pingTimeout 2 s), a
// message at t0+1 s moves the deadline to t0+3 s, a second at t0+2.5 s must
// not move it to t0+4.5 s: a GET at t0+3.5 s finds the session gone.
func TestPollingPongDeadlineMovedOnce(t *testing.T) {
	cfg := suiteConfig()
	cfg.PingTimeout = 2 * time.Second
	log := newCloseLog()
	_, base := startServer(t, cfg, log.attach)
	url, pinged := firstPing(t, base)
	time.Sleep(time.Until(pinged.Add(time.Second)))
	if code, _, _ := httpDo(t, "POST", url, "4first"); code != 200 {
		t.Fatalf("first message: %d", code)
	}
	time.Sleep(time.Until(pinged.Add(2500 * time.Millisecond)))
	// Without the refresh the session ended at t0+2 s.
	if code, body, _ := httpDo(t, "GET", url, ""); code != 200 || body != "4first" {
		t.Fatalf("GET at 2.5 s: %d %q, want the echo", code, body)
	}
	if code, _, _ := httpDo(t, "POST", url, "4second"); code != 200 {
		t.Fatalf("second message: %d", code)
	}
	time.Sleep(time.Until(pinged.Add(3500 * time.Millisecond)))
	code, body, _ := httpDo(t, "GET", url, "")
	if code != 400 || !strings.Contains(body, "Session ID unknown") {
		t.Fatalf("GET at 3.5 s: %d %q, want the session gone", code, body)
	}
	if r := log.next(t, time.Second); r != ReasonPingTimeout+"|" {
		t.Fatalf("reason %q", r)
	}
}
