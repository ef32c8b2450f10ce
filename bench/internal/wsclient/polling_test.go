package wsclient

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/netip"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gobwas/ws"

	"github.com/sio-fast/sio-fast/internal/wsframe"
)

const (
	openPolling = `0{"sid":"x-_1","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}`
	poll200     = "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=UTF-8\r\ncontent-length: 102\r\n" +
		"Cache-Control: no-store\r\n\r\n" + openPolling
	switching = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
)

// pollingServer plays both legs of a polling upgrade: poll is the whole
// response to the polling GET, probe the WebSocket answer to "2probe".
// Request heads go to heads, in order.
type pollingServer struct {
	poll, probe string
	heads       chan string
}

// readHead reads an HTTP request head up to the blank line.
func readHead(br *bufio.Reader) (string, error) {
	var b strings.Builder
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			return b.String(), err
		}
		if line == "\r\n" {
			return b.String(), nil
		}
		b.WriteString(line)
	}
}

// waitEOF reports whether the client closed conn within a second: EOF, or
// a reset when it closed while the server was still writing.
func waitEOF(conn net.Conn, br *bufio.Reader) bool {
	conn.SetReadDeadline(time.Now().Add(time.Second))
	_, err := br.ReadByte()
	return err == io.EOF || errors.Is(err, syscall.ECONNRESET)
}

func (s *pollingServer) serve(t *testing.T, ln net.Listener) {
	a, err := ln.Accept()
	if err != nil {
		return
	}
	defer a.Close()
	ba := bufio.NewReader(a)
	head, err := readHead(ba)
	if err != nil {
		return
	}
	s.heads <- head
	for i := range len(s.poll) { // byte by byte: split head and body
		a.Write([]byte{s.poll[i]})
	}
	if !waitEOF(a, ba) {
		t.Errorf("polling connection not closed by the client")
		return
	}
	if !strings.HasPrefix(s.poll, "HTTP/1.1 200") || strings.Contains(s.poll, "chunked") {
		return
	}
	b, err := ln.Accept()
	if err != nil {
		return
	}
	defer b.Close()
	s.upgrade(t, b)
}

// upgrade runs the WebSocket leg: 101, probe, 5, 40, a noop, a ping, and
// one broadcast before closing.
func (s *pollingServer) upgrade(t *testing.T, conn net.Conn) {
	br := bufio.NewReader(conn)
	head, err := readHead(br)
	if err != nil {
		return
	}
	s.heads <- head
	frame := func(s string) []byte { return wsframe.AppendFrame(nil, ws.OpText, []byte(s)) }
	conn.Write([]byte(switching))
	if got := readText(t, conn, br); got != "2probe" {
		t.Errorf("want 2probe, got %q", got)
		return
	}
	conn.Write(frame(s.probe))
	if s.probe != "3probe" {
		waitEOF(conn, br)
		return
	}
	for _, want := range []string{"5", "40"} {
		if got := readText(t, conn, br); got != want {
			t.Errorf("want %s, got %q", want, got)
			return
		}
	}
	out := append(frame(`40{"sid":"y"}`), frame("6")...)
	conn.Write(append(out, frame("2")...))
	if got := readText(t, conn, br); got != "3" {
		t.Errorf("want pong 3, got %q", got)
		return
	}
	conn.Write(frame(`42["broadcast",{"t":5,"p":"7xx"}]`))
	time.Sleep(50 * time.Millisecond)
}

func startPolling(t *testing.T, srv *pollingServer) *recorder {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv.heads = make(chan string, 2)
	done := make(chan struct{})
	go func() {
		defer close(done)
		srv.serve(t, ln)
	}()
	rec := &recorder{ready: make(chan *Conn, 1), packets: make(chan string, 4), closed: make(chan error, 1)}
	e, err := New(Config{Server: netip.MustParseAddrPort(ln.Addr().String()), Handler: rec,
		MaxFDs: 1 << 16, Transport: TransportPollingUpgrade})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		e.Close()
		ln.Close()
		<-done
	})
	if _, err := e.Dial(1, netip.Addr{}); err != nil {
		t.Fatal(err)
	}
	return rec
}

func TestPollingUpgrade(t *testing.T) {
	srv := &pollingServer{poll: poll200, probe: "3probe"}
	rec := startPolling(t, srv)
	expectReady(t, rec)
	pollHead, wsHead := <-srv.heads, <-srv.heads
	if !strings.HasPrefix(pollHead, "GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\n") ||
		!strings.Contains(pollHead, "\r\nHost: 127.0.0.1:") {
		t.Errorf("polling request %q", pollHead)
	}
	if !strings.HasPrefix(wsHead, "GET /socket.io/?EIO=4&transport=websocket&sid=x-_1 HTTP/1.1\r\n") ||
		!strings.Contains(wsHead, "\r\nUpgrade: websocket\r\n") {
		t.Errorf("upgrade request %q", wsHead)
	}
	expectBroadcastThenClose(t, rec) // the noop before it was skipped, the ping answered
}

func TestPollingUpgradeFailures(t *testing.T) {
	tests := []struct {
		name, poll, probe string
		want              error
	}{
		{"polling 400", "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: 34\r\n\r\n" +
			`{"code":3,"message":"Bad request"}`, "", ErrPolling},
		{"chunked body", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n66\r\n" + openPolling + "\r\n0\r\n\r\n",
			"", ErrPollingBody},
		{"no sid", "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n0{}", "", ErrProtocol},
		{"noop instead of 3probe", poll200, "6", ErrProbe},
		{"wrong probe", poll200, "3prob", ErrProbe},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := startPolling(t, &pollingServer{poll: tc.poll, probe: tc.probe})
			select {
			case err := <-rec.closed:
				if !errors.Is(err, tc.want) {
					t.Fatalf("got %v, want %v", err, tc.want)
				}
			case <-rec.ready:
				t.Fatal("ready after a failed upgrade")
			case <-time.After(5 * time.Second):
				t.Fatal("no close")
			}
		})
	}
}

func TestContentLengthAndOpenSID(t *testing.T) {
	lengths := []struct {
		head string
		n    int
		ok   bool
	}{
		{"HTTP/1.1 200 OK\r\nContent-Length: 118", 118, true},
		{"HTTP/1.1 200 OK\r\nX: y\r\ncontent-length:7 \r\nZ: w", 7, true},
		{"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked", 0, false},
		{"HTTP/1.1 200 OK\r\nContent-Length: -1", 0, false},
	}
	for _, tc := range lengths {
		if n, ok := contentLength([]byte(tc.head)); n != tc.n || ok != tc.ok {
			t.Errorf("%q: got %d %v", tc.head, n, ok)
		}
	}
	sids := []struct{ body, sid string }{
		{openPolling, "x-_1"},
		{`0{"upgrades":[],"sid":"abc"}`, "abc"},
		{`0{"sid":""}`, ""},
		{`4{"sid":"abc"}`, ""},
		{``, ""},
	}
	for _, tc := range sids {
		if sid, ok := openSID([]byte(tc.body)); sid != tc.sid || ok != (tc.sid != "") {
			t.Errorf("%q: got %q %v", tc.body, sid, ok)
		}
	}
}

func TestParseTransport(t *testing.T) {
	for _, tr := range []Transport{TransportWebSocket, TransportPollingUpgrade, TransportPolling} {
		var got Transport
		b, _ := tr.MarshalText()
		if err := got.UnmarshalText(b); err != nil || got != tr {
			t.Errorf("%v: round trip %v %v", tr, got, err)
		}
	}
	if _, err := ParseTransport("long-polling"); !errors.Is(err, ErrTransport) {
		t.Errorf("long-polling accepted: %v", err)
	}
}
