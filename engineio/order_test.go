package engineio

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// rawHTTP is a kept-alive HTTP/1.1 connection whose requests the test
// writes itself, so that it knows which connection (and loop) each one
// takes.
type rawHTTP struct {
	nc net.Conn
	r  *bufio.Reader
}

func dialHTTP(t *testing.T, base string) *rawHTTP {
	t.Helper()
	nc := dialRaw(t, base)
	return &rawHTTP{nc: nc, r: bufio.NewReader(nc)}
}

// send writes one request without waiting for its answer.
func (h *rawHTTP) send(t *testing.T, method, target, body string) {
	t.Helper()
	req := method + " " + target + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n" + body
	if _, err := h.nc.Write([]byte(req)); err != nil {
		t.Fatal(err)
	}
}

// recv reads the answer to the oldest request sent.
func (h *rawHTTP) recv(t *testing.T) (int, string) {
	t.Helper()
	_ = h.nc.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := http.ReadResponse(h.r, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	return resp.StatusCode, string(b)
}

// A polling GET and, right after it on another connection, a POST carrying
// the close packet: Node answers the GET with a noop and the session ends;
// the next GET gets 400. Here the GET is read on a loop other than the
// session's home and its hand-off is delayed (the test seam handoffDelay)
// while the POST, read on the home loop, would run at once: the home loop
// must apply the POST only after the GET it arrived after.
func TestPollingRequestsApplyInArrivalOrder(t *testing.T) {
	var delayGets atomic.Bool
	handedOff := make(chan bool, 16) // true for a GET
	log := newCloseLog()
	_, base := startServer(t, suiteConfig(), func(srv *Server) {
		log.attach(srv)
		srv.handoffDelay = func(r sessionRequest) time.Duration {
			handedOff <- r.get != nil
			if r.get == nil || !delayGets.Load() {
				return 0
			}
			return 200 * time.Millisecond
		}
	})
	home, target := handshakeRaw(t, base)
	get := otherLoopConn(t, base, target, handedOff)
	delayGets.Store(true)
	get.send(t, "GET", target, "")
	if isGet := <-handedOff; !isGet {
		t.Fatal("the GET was not handed off")
	}
	home.send(t, "POST", target, "1")
	if code, body := get.recv(t); code != 200 || body != "6" {
		t.Fatalf("GET sent before the close: %d %q, want 200 \"6\"", code, body)
	}
	if code, body := home.recv(t); code != 200 || body != "ok" {
		t.Fatalf("close POST: %d %q", code, body)
	}
	if r := log.next(t, time.Second); r != ReasonTransportClose+"|" {
		t.Fatalf("reason %q", r)
	}
	home.send(t, "GET", target, "")
	if code, body := home.recv(t); code != 400 || body != unknownSID {
		t.Fatalf("GET after the close: %d %q", code, body)
	}
}

// A GET read on the home loop that waits for an earlier POST still being
// handed off, and whose connection closes meanwhile, ends the session in
// its turn as a parked GET's would ("transport error"), not at the next
// heartbeat.
func TestPollingGetClosedWhileWaitingForItsTurn(t *testing.T) {
	handedOff := make(chan bool, 16) // true for a GET
	var delayPosts atomic.Bool
	log := newCloseLog()
	cfg := suiteConfig()
	cfg.PingInterval = 10 * time.Second
	_, base := startServer(t, cfg, func(srv *Server) {
		log.attach(srv)
		srv.handoffDelay = func(r sessionRequest) time.Duration {
			handedOff <- r.get != nil
			if r.post == nil || !delayPosts.Load() {
				return 0
			}
			return 300 * time.Millisecond
		}
	})
	home, target := handshakeRaw(t, base)
	other := otherLoopConn(t, base, target, handedOff)
	delayPosts.Store(true)
	other.send(t, "POST", target, "6")
	<-handedOff
	home.send(t, "GET", target, "") // waits for the POST's turn
	time.Sleep(50 * time.Millisecond)
	_ = home.nc.Close()
	if r := log.next(t, 2*time.Second); r != ReasonTransportError+"|poll connection closed prematurely" {
		t.Fatalf("reason %q", r)
	}
	if code, body := other.recv(t); code != 200 || body != "ok" {
		t.Fatalf("POST: %d %q", code, body)
	}
}

// otherLoopConn returns a connection on a loop other than the home loop of
// the session at target: connections are spread over the two loops, and a
// harmless POST (a noop packet) is handed off (handedOff receives) only
// from the other one.
func otherLoopConn(t *testing.T, base, target string, handedOff <-chan bool) *rawHTTP {
	t.Helper()
	for range 20 {
		c := dialHTTP(t, base)
		c.send(t, "POST", target, "6")
		if code, body := c.recv(t); code != 200 || body != "ok" {
			t.Fatalf("noop POST: %d %q", code, body)
		}
		select {
		case <-handedOff:
			return c
		default:
		}
	}
	t.Fatal("no connection on a loop other than the session's")
	return nil
}

// handshakeRaw opens a polling session on a connection of its own, which
// lives on the session's home loop; it returns it and the session's target.
func handshakeRaw(t *testing.T, base string) (*rawHTTP, string) {
	t.Helper()
	home := dialHTTP(t, base)
	home.send(t, "GET", eioPath+"?EIO=4&transport=polling", "")
	code, body := home.recv(t)
	if code != 200 || !strings.HasPrefix(body, `0{"sid":"`) {
		t.Fatalf("handshake: %d %q", code, body)
	}
	return home, eioPath + "?EIO=4&transport=polling&sid=" + body[9:29]
}
