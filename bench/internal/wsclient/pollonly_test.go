package wsclient

import (
	"io"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"sync/atomic"
	"testing"
	"time"
)

// pollOnlyServer is an Engine.IO polling endpoint on net/http: the
// handshake, POST bodies to posts, and each long-poll GET answered with the
// next of gets (the last one, "1", closes the session).
type pollOnlyServer struct {
	gets  chan string
	posts chan string
	// dropFirstPost closes the connection of the first POST without an
	// answer: the client must send its packets again on a new one.
	dropFirstPost bool
	dropped       atomic.Bool
	// closePosts answers every POST with "Connection: close".
	closePosts bool
}

func (s *pollOnlyServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("EIO") != "4" || q.Get("transport") != "polling" {
		http.Error(w, "bad query", 400)
		return
	}
	switch {
	case q.Get("sid") == "":
		io.WriteString(w, `0{"sid":"s/1","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}`)
	case q.Get("sid") != "s/1":
		http.Error(w, "unknown sid", 400)
	case r.Method == "POST":
		if s.dropFirstPost && !s.dropped.Swap(true) {
			c, _, _ := w.(http.Hijacker).Hijack()
			c.Close()
			return
		}
		b, _ := io.ReadAll(r.Body)
		s.posts <- string(b)
		if s.closePosts {
			w.Header().Set("Connection", "close")
		}
		io.WriteString(w, "ok")
	default:
		body, ok := <-s.gets
		if !ok {
			return
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		io.WriteString(w, body)
	}
}

func startPollOnly(t *testing.T, srv *pollOnlyServer) (*recorder, *Engine) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{Handler: srv}
	go hs.Serve(ln)
	rec := &recorder{ready: make(chan *Conn, 1), packets: make(chan string, 8), closed: make(chan error, 1)}
	e, err := New(Config{Server: netip.MustParseAddrPort(ln.Addr().String()), Handler: rec,
		MaxFDs: 1 << 16, Transport: TransportPolling})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		e.Close()
		close(srv.gets)
		hs.Close()
	})
	if _, err := e.Dial(1, netip.Addr{}); err != nil {
		t.Fatal(err)
	}
	return rec, e
}

func expectPost(t *testing.T, srv *pollOnlyServer, want string) {
	t.Helper()
	select {
	case got := <-srv.posts:
		if got != want {
			t.Fatalf("POST body %q, want %q", got, want)
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("no POST %q", want)
	}
}

// A polling-only client: "40" in a POST, the CONNECT answer and a ping in
// one GET (pong in a POST), two broadcasts in the next, a packet sent with
// Post, and the close packet ending it.
func TestPollingOnly(t *testing.T) {
	for _, tc := range []struct {
		name string
		srv  *pollOnlyServer
	}{
		{"keep-alive", &pollOnlyServer{}},
		{"server closes POST connections", &pollOnlyServer{closePosts: true}},
		{"POST connection dropped unanswered", &pollOnlyServer{dropFirstPost: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := tc.srv
			srv.gets, srv.posts = make(chan string, 4), make(chan string, 4)
			rec, _ := startPollOnly(t, srv)
			expectPost(t, srv, "40")
			srv.gets <- "40{\"sid\":\"y\"}\x1e2"
			var c *Conn
			select {
			case c = <-rec.ready:
			case <-time.After(5 * time.Second):
				t.Fatal("no ready")
			}
			expectPost(t, srv, "3")
			if err := c.Post([]byte(`42["echo",1]`)); err != nil {
				t.Fatal(err)
			}
			expectPost(t, srv, `42["echo",1]`)
			srv.gets <- `42["broadcast",{"t":5,"p":"7xx"}]` + "\x1e6\x1e" + `42["broadcast",{"t":6,"p":"8xx"}]`
			for _, want := range []string{`2["broadcast",{"t":5,"p":"7xx"}]`, `2["broadcast",{"t":6,"p":"8xx"}]`} {
				select {
				case p := <-rec.packets:
					if p != want {
						t.Fatalf("packet %q, want %q", p, want)
					}
				case <-time.After(5 * time.Second):
					t.Fatal("no packet")
				}
			}
			srv.gets <- "1"
			expectPeerClosed(t, rec)
		})
	}
}

// FuzzResponse: response never panics, and a stream split anywhere reads
// the same as whole: nothing until the response is complete, then the same
// length and body (the worker feeds it whatever a read returned).
func FuzzResponse(f *testing.F) {
	f.Add([]byte("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"), 5)
	f.Add([]byte(poll200), 40)
	f.Add([]byte("HTTP/1.1 200 OK\r\ncontent-length: 3\r\n\r\n4x\x1e"), 0)
	f.Add([]byte("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"), 3)
	f.Add([]byte("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"), 10)
	f.Fuzz(func(t *testing.T, b []byte, cut int) {
		n, body, err := response(b, ErrPollResponse)
		if n < 0 || n > len(b) || (n == 0 && body != nil) || (err != nil && n != 0) {
			t.Fatalf("response(%q) = %d, %q, %v", b, n, body, err)
		}
		if cut < 0 || cut > len(b) {
			return
		}
		pn, pbody, perr := response(b[:cut], ErrPollResponse)
		switch {
		case perr != nil && err == nil && pn == 0 && n > 0 && cut >= n:
			t.Fatalf("prefix %d of a complete response fails: %v", cut, perr)
		case perr == nil && pn > 0 && (pn != n || string(pbody) != string(body)):
			t.Fatalf("prefix %d reads %d %q, whole %d %q", cut, pn, pbody, n, body)
		}
	})
}
