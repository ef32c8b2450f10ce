package wsclient

import (
	"bufio"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/gobwas/ws"

	"github.com/sio-fast/sio-fast/internal/wsframe"
)

type recorder struct {
	ready   chan *Conn
	packets chan string
	closed  chan error
}

func (r *recorder) OnReady(c *Conn, _ time.Time)            { r.ready <- c }
func (r *recorder) OnPacket(_ *Conn, p []byte, _ time.Time) { r.packets <- string(p) }
func (r *recorder) OnClose(_ *Conn, err error)              { r.closed <- err }

// readText reads one client (masked) text frame from br.
func readText(t *testing.T, conn net.Conn, br *bufio.Reader) string {
	t.Helper()
	var rd wsframe.Reader
	var buf []byte
	for {
		m, n, err := rd.Next(buf)
		if err != nil {
			t.Errorf("server read: %v", err)
			return ""
		}
		if n > 0 {
			return string(m.Payload)
		}
		b, err := br.ReadByte()
		if err != nil {
			t.Errorf("server read: %v", err)
			return ""
		}
		buf = append(buf, b)
	}
}

// fakeServer speaks just enough Engine.IO/Socket.IO, writing in odd chunks
// so the client has to reassemble split headers and frames.
func fakeServer(t *testing.T, ln net.Listener, upgrade string) {
	conn, err := ln.Accept()
	if err != nil {
		return
	}
	defer conn.Close()
	br := bufio.NewReader(conn)
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			return
		}
		if line == "\r\n" {
			break
		}
	}
	if !strings.Contains(upgrade, " 101 ") {
		conn.Write([]byte(upgrade))
		time.Sleep(50 * time.Millisecond)
		return
	}
	frame := func(s string) []byte { return wsframe.AppendFrame(nil, ws.OpText, []byte(s)) }
	out := []byte(upgrade)
	out = append(out, frame(`0{"sid":"x","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}`)...)
	for _, b := range out { // byte by byte
		conn.Write([]byte{b})
	}
	if got := readText(t, conn, br); got != "40" {
		t.Errorf("want 40, got %q", got)
		return
	}
	conn.Write(append(frame(`40{"sid":"y"}`), frame("2")...))
	if got := readText(t, conn, br); got != "3" {
		t.Errorf("want pong 3, got %q", got)
		return
	}
	msg := frame(`42["broadcast",{"t":5,"p":"7xx"}]`)
	conn.Write(msg[:3])
	time.Sleep(20 * time.Millisecond)
	conn.Write(msg[3:])
	time.Sleep(50 * time.Millisecond)
}

func start(t *testing.T, upgrade string) (*recorder, *Engine, net.Listener) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go fakeServer(t, ln, upgrade)
	rec := &recorder{ready: make(chan *Conn, 1), packets: make(chan string, 4), closed: make(chan error, 1)}
	e, err := New(Config{Server: netip.MustParseAddrPort(ln.Addr().String()), Handler: rec, MaxFDs: 1 << 16})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Dial(1, netip.Addr{}); err != nil {
		t.Fatal(err)
	}
	return rec, e, ln
}

func TestHandshakePingAndSplitFrames(t *testing.T) {
	rec, e, ln := start(t, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
	defer ln.Close()
	defer e.Close()
	expectReady(t, rec)
	expectBroadcastThenClose(t, rec)
}

// expectReady waits for client 1 to be ready (its CONNECT answered).
func expectReady(t *testing.T, rec *recorder) {
	t.Helper()
	select {
	case c := <-rec.ready:
		if c.ID != 1 {
			t.Fatalf("id %d", c.ID)
		}
	case err := <-rec.closed:
		t.Fatalf("closed: %v", err)
	case <-time.After(5 * time.Second):
		t.Fatal("no ready")
	}
}

// expectBroadcastThenClose waits for the fake server's broadcast, then for
// the close it sends after it.
func expectBroadcastThenClose(t *testing.T, rec *recorder) {
	t.Helper()
	select {
	case p := <-rec.packets:
		if p != `2["broadcast",{"t":5,"p":"7xx"}]` {
			t.Fatalf("packet %q", p)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no packet")
	}
	expectPeerClosed(t, rec)
}

// expectPeerClosed waits for rec's connection to end with ErrPeerClosed
// (the server's Engine.IO close).
func expectPeerClosed(t *testing.T, rec *recorder) {
	t.Helper()
	select {
	case err := <-rec.closed:
		if err != ErrPeerClosed {
			t.Fatalf("close err %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no close")
	}
}

func TestUpgradeRefused(t *testing.T) {
	rec, e, ln := start(t, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
	defer ln.Close()
	defer e.Close()
	select {
	case err := <-rec.closed:
		if err != ErrUpgrade {
			t.Fatalf("got %v", err)
		}
	case <-rec.ready:
		t.Fatal("ready after a 400")
	case <-time.After(5 * time.Second):
		t.Fatal("no close")
	}
}

func TestAppendText(t *testing.T) {
	f := AppendText(nil, []byte("42[\"x\"]"))
	var rd wsframe.Reader
	m, n, err := rd.Next(f)
	if err != nil || n != len(f) || string(m.Payload) != `42["x"]` || !strings.HasPrefix(string(f[:1]), "\x81") {
		t.Fatalf("%v %d %q", err, n, m.Payload)
	}
}
