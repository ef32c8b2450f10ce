package engineio

import (
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/sio-fast/sio-fast/internal/looptest"
	"github.com/sio-fast/sio-fast/loop"
)

// coarseServer serves an echo server with suiteConfig (pingInterval 300 ms,
// pingTimeout 200 ms) whose loops tick every 500 ms, ten times the default,
// and whose timers fire only at those ticks (timer precision = tick): the
// wheel alone would see a deadline hundreds of milliseconds late, so the
// margins of these tests (100 ms) show that the check at each observation
// point honours it, even on a loaded machine. A ping goes out at a tick; a
// request 300 ms later (100 ms after the pong deadline) comes 200 ms before
// the wheel would close the session. Session closes go to log.
func coarseServer(t *testing.T, log *closeLog, opts ...loop.Option) string {
	t.Helper()
	srv := NewServer(suiteConfig())
	log.attach(srv)
	coarse := []loop.Option{loop.WithTickInterval(coarseTick), loop.WithTimerPrecision(coarseTick)}
	ls := looptest.Serve(t, srv, append(coarse, opts...)...)
	return looptest.URL(ls)
}

const coarseTick = 500 * time.Millisecond

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

// A POST whose body does not decode, 100 ms after the pong deadline, is
// a late request like any other: 400 "Session ID unknown" and "ping
// timeout", not a parse error of a session Node would have closed already.
// Sent before any ping, the same POST closes the session with "parse error".
func TestPollingBadPostAfterPongDeadline(t *testing.T) {
	for _, late := range []bool{false, true} {
		t.Run(map[bool]string{false: "in-time", true: "late"}[late], func(t *testing.T) {
			log := newCloseLog()
			base := coarseServer(t, log)
			var url string
			wantBody, wantReason := `{"code":3,"message":"Bad request"}`, ReasonParseError
			if late {
				var pinged time.Time
				url, pinged = firstPing(t, base)
				time.Sleep(time.Until(pinged.Add(300 * time.Millisecond)))
				wantBody, wantReason = unknownSID, ReasonPingTimeout
			} else {
				url = pollURL(base, handshakePolling(t, base, eioPath)) // no ping awaited yet
			}
			if code, body, _ := httpDo(t, "POST", url, "\x1e\x1e"); code != 400 || body != wantBody {
				t.Fatalf("bad POST: %d %q, want 400 %s", code, body, wantBody)
			}
			if r := log.next(t, time.Second); !strings.HasPrefix(r, wantReason+"|") {
				t.Fatalf("reason %q, want %q", r, wantReason)
			}
		})
	}
}

// An upgrade probe 100 ms after the pong deadline finds the session gone.
// Read on the session's home loop (one loop) it is refused like an unknown
// sid, as Node refuses it; read on another loop the 101 is already out, and
// the probe is closed without its "3probe". Either way the session ends
// with "ping timeout" and is never upgraded.
func TestProbeAfterPongDeadline(t *testing.T) {
	for _, loops := range []int{1, 2} {
		t.Run(fmt.Sprint(loops, "-loops"), func(t *testing.T) {
			log := newCloseLog()
			base := coarseServer(t, log, loop.WithNumLoops(loops))
			url, pinged := firstPing(t, base)
			sid := url[strings.LastIndex(url, "=")+1:]
			time.Sleep(time.Until(pinged.Add(300 * time.Millisecond)))
			code, w := dialProbe(t, base, "EIO=4&transport=websocket&sid="+sid)
			switch {
			case code == 400:
			case code == 101 && loops > 1:
				w.sendText(t, "2probe")
				if _, frames, ok := w.waitClose(2 * time.Second); !ok || len(frames) != 0 {
					t.Fatalf("probe: closed %v, frames %q", ok, frames)
				}
			default:
				t.Fatalf("probe status %d", code)
			}
			if r := log.next(t, time.Second); r != ReasonPingTimeout+"|" {
				t.Fatalf("reason %q", r)
			}
		})
	}
}

// dialProbe sends a WebSocket upgrade request and returns the status and,
// for a 101, the client; a refusal's body must be "Session ID unknown".
func dialProbe(t *testing.T, base, query string) (int, *wsClient) {
	t.Helper()
	w, resp := dialUpgrade(t, base, eioPath+"?"+query, "", nil)
	if resp.StatusCode == 400 {
		body, _ := io.ReadAll(resp.Body)
		if string(body) != "Session ID unknown" {
			t.Fatalf("refusal body %q", body)
		}
	}
	return resp.StatusCode, w
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
