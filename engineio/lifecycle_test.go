package engineio

import (
	"context"
	"io"
	"log/slog"
	"net/http"

	"github.com/sio-fast/sio-fast/loop"
	"net"
	"strings"
	"testing"
	"time"
)

// recordSessions makes every session echo, records its close reason and
// hands it to the test.
func recordSessions(log *closeLog, got chan<- *Socket) func(*Server) {
	return func(srv *Server) {
		srv.OnConnection(func(s *Socket) {
			echo(s)
			s.OnClose(func(reason, desc string) { log.ch <- reason + "|" + desc })
			got <- s
		})
	}
}

// upgradeArmed reports whether s has an armed upgrade deadline. Home loop.
func upgradeArmed(s *Socket) bool {
	return s.poll != nil && s.poll.upgradeT != nil && s.poll.upgradeT.Armed()
}

func assertNoTimers(t *testing.T, s *Socket) {
	t.Helper()
	onHome(s, func() {
		if s.heartbeat.Armed() || upgradeArmed(s) {
			t.Error("timer still armed after close")
		}
		if p := s.poll; s.ws != nil || p != nil && (p.get != nil || p.probe != nil || len(p.writeBuf) != 0) {
			t.Error("transport references kept after close")
		}
	})
}

// A polling client that never answers pings is closed with "ping timeout"
// within pingInterval + pingTimeout + timer granularity.
func TestPollingPingTimeoutReason(t *testing.T) {
	log := newCloseLog()
	got := make(chan *Socket, 1)
	srv, base := startServer(t, suiteConfig(), recordSessions(log, got))
	start := time.Now()
	handshakePolling(t, base, eioPath)
	s := <-got
	r := log.next(t, 2*time.Second)
	if el := time.Since(start); el < 450*time.Millisecond || el > maxPingTimeoutLag {
		t.Fatalf("closed after %v", el)
	}
	if r != ReasonPingTimeout+"|" {
		t.Fatalf("reason %q", r)
	}
	if srv.ClientsCount() != 0 {
		t.Fatalf("clients %d", srv.ClientsCount())
	}
	assertNoTimers(t, s)
}

// A polling client whose connection vanishes while its GET is parked ends
// the session at once ("transport error"), without timers left.
func TestPollingVanishedClientCleanedUp(t *testing.T) {
	cfg := suiteConfig()
	cfg.PingInterval = 5 * time.Second
	log := newCloseLog()
	got := make(chan *Socket, 1)
	srv, base := startServer(t, cfg, recordSessions(log, got))
	sid := handshakePolling(t, base, eioPath)
	s := <-got
	addr := strings.TrimPrefix(base, "http://")
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = nc.Write([]byte("GET " + eioPath + "?EIO=4&transport=polling&sid=" + sid + " HTTP/1.1\r\nHost: x\r\n\r\n"))
	time.Sleep(50 * time.Millisecond)
	_ = nc.Close()
	if r := log.next(t, 2*time.Second); r != ReasonTransportError+"|poll connection closed prematurely" {
		t.Fatalf("reason %q", r)
	}
	if srv.ClientsCount() != 0 {
		t.Fatalf("clients %d", srv.ClientsCount())
	}
	assertNoTimers(t, s)
}

// Many sessions of both transports whose clients all vanish: the server is
// back to zero sessions.
func TestManyVanishedClients(t *testing.T) {
	cfg := suiteConfig()
	srv, base := startEcho(t, cfg)
	var ws []*wsClient
	for i := 0; i < 20; i++ {
		w, _ := dialWSOpen(t, base, wsQuery)
		ws = append(ws, w)
		handshakePolling(t, base, eioPath)
	}
	if n := srv.ClientsCount(); n != 40 {
		t.Fatalf("clients %d", n)
	}
	for _, w := range ws {
		_ = w.nc.Close()
	}
	waitFor(t, func() bool { return srv.ClientsCount() == 0 })
}

// Server-initiated close over polling: the queued messages on the next GET,
// then "1" alone on the one after (Node closes once the buffer drained;
// socket.io-client would act on a close in the same payload before the
// messages), and the session ends with "forced close".
func TestPollingServerClose(t *testing.T) {
	cfg := suiteConfig()
	cfg.PingInterval = 5 * time.Second
	log := newCloseLog()
	got := make(chan *Socket, 1)
	srv, base := startServer(t, cfg, recordSessions(log, got))
	sid := handshakePolling(t, base, eioPath)
	s := <-got
	onHome(s, func() { // both queued before the GET can arrive
		s.sendMessages([]Message{{Data: []byte("bye")}})
		s.closeWith(ReasonForcedClose, "")
	})
	url := base + eioPath + "?EIO=4&transport=polling&sid=" + sid
	if _, body, _ := httpDo(t, "GET", url, ""); body != "4bye" {
		t.Fatalf("GET %q", body)
	}
	if _, body, _ := httpDo(t, "GET", url, ""); body != "1" {
		t.Fatalf("second GET %q", body)
	}
	if r := log.next(t, time.Second); r != ReasonForcedClose+"|" {
		t.Fatalf("reason %q", r)
	}
	if code, _, _ := httpDo(t, "GET", url, ""); code != 400 {
		t.Fatalf("GET after close %d", code)
	}
	if srv.ClientsCount() != 0 {
		t.Fatalf("clients %d", srv.ClientsCount())
	}
}

// A server-initiated close over polling whose messages took a GET that was
// parked: the close waits for the next GET, and a client that never sends
// it is gone after pingInterval + pingTimeout ("forced close"). The first
// ping is due 2 s after the handshake, time enough on a loaded machine for
// the steps before the close, which no ping must come between.
func TestPollingServerCloseWaitsForNextGet(t *testing.T) {
	cfg := suiteConfig()
	cfg.PingInterval = 2 * time.Second
	log := newCloseLog()
	got := make(chan *Socket, 1)
	_, base := startServer(t, cfg, recordSessions(log, got))
	sid := handshakePolling(t, base, eioPath)
	s := <-got
	url := base + eioPath + "?EIO=4&transport=polling&sid=" + sid
	parked := make(chan string, 1)
	go func() {
		resp, err := client.Get(url)
		if err != nil {
			parked <- err.Error()
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		parked <- string(b)
	}()
	waitFor(t, func() bool {
		var isParked bool
		onHome(s, func() { isParked = s.poll.get != nil })
		return isParked
	})
	onHome(s, func() {
		s.sendMessages([]Message{{Data: []byte("bye")}}) // answers the parked GET
		s.sendMessages([]Message{{Data: []byte("last")}})
		s.closeWith(ReasonForcedClose, "")
	})
	if body := <-parked; body != "4bye" {
		t.Fatalf("parked GET %q", body)
	}
	if _, body, _ := httpDo(t, "GET", url, ""); body != "4last" {
		t.Fatalf("second GET %q", body)
	}
	if r := log.next(t, 10*time.Second); r != ReasonForcedClose+"|" {
		t.Fatalf("reason %q", r)
	}
}

// Server.Close closes every session, of both transports, from any goroutine.
func TestServerClose(t *testing.T) {
	cfg := suiteConfig()
	cfg.PingInterval = 5 * time.Second
	log := newCloseLog()
	got := make(chan *Socket, 4)
	srv, base := startServer(t, cfg, recordSessions(log, got))
	w, _ := dialWSOpen(t, base, wsQuery)
	sid := handshakePolling(t, base, eioPath)
	url := base + eioPath + "?EIO=4&transport=polling&sid=" + sid
	pending := make(chan string, 1)
	go func() { _, body, _ := httpDo(t, "GET", url, ""); pending <- body }()
	time.Sleep(50 * time.Millisecond)
	srv.Close()
	if body := <-pending; body != "1" {
		t.Fatalf("pending GET got %q", body)
	}
	if code, _, ok := w.waitClose(2 * time.Second); !ok || code != 1000 {
		t.Fatalf("ws close %d %v", code, ok)
	}
	for i := 0; i < 2; i++ {
		if r := log.next(t, time.Second); r != ReasonForcedClose+"|" {
			t.Fatalf("reason %q", r)
		}
	}
	if code, body, _ := httpDo(t, "GET", base+eioPath+"?EIO=4&transport=polling", ""); code != 400 {
		t.Fatalf("handshake after Close: %d %q", code, body)
	}
}

// Shutting the loop server down closes WebSocket sessions with a close frame
// and answers parked polling GETs with a close packet, reason "server
// shutting down".
func TestShutdownClosesSessions(t *testing.T) {
	cfg := suiteConfig()
	cfg.PingInterval = 5 * time.Second
	log := newCloseLog()
	got := make(chan *Socket, 8)
	srv := NewServer(cfg)
	recordSessions(log, got)(srv)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	ls, err := loop.Serve("127.0.0.1:0", srv, loop.WithNumLoops(2), loop.WithLogger(quiet), loop.WithTickInterval(10*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ls.Addr().String()
	var wss []*wsClient
	for i := 0; i < 4; i++ {
		w, _ := dialWSOpen(t, base, wsQuery)
		wss = append(wss, w)
	}
	sid := handshakePolling(t, base, eioPath)
	url := base + eioPath + "?EIO=4&transport=polling&sid=" + sid
	pending := make(chan string, 1)
	go func() {
		req, _ := http.NewRequest("GET", url, nil)
		resp, err := client.Do(req)
		if err != nil {
			pending <- err.Error()
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		pending <- string(b)
	}()
	time.Sleep(50 * time.Millisecond)
	codes := make(chan int, len(wss))
	for _, w := range wss {
		go func() {
			code, _, _ := w.waitClose(3 * time.Second)
			_ = w.nc.Close() // the server waits for the peer's FIN
			codes <- code
		}()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := ls.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	for range wss {
		if code := <-codes; code != 1000 {
			t.Fatalf("ws close code %d", code)
		}
	}
	if body := <-pending; body != "1" {
		t.Fatalf("pending GET got %q", body)
	}
	for i := 0; i < 5; i++ {
		if r := log.next(t, time.Second); r != ReasonServerShutdown+"|" {
			t.Fatalf("reason %q", r)
		}
	}
}
