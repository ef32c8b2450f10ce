package wsclient

import (
	"bufio"
	"errors"
	"net"
	"net/netip"
	"syscall"
	"testing"
	"time"

	"github.com/gobwas/ws"

	"github.com/sio-fast/sio-fast/internal/wsframe"
)

// Abort resets the connection: the server reads a reset, not a clean EOF
// or a close frame, and the client's OnClose runs.
func TestAbortResets(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	serverErr := make(chan error, 1)
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			serverErr <- err
			return
		}
		defer conn.Close()
		br := bufio.NewReader(conn)
		for line := ""; line != "\r\n"; {
			if line, err = br.ReadString('\n'); err != nil {
				serverErr <- err
				return
			}
		}
		frame := func(s string) []byte { return wsframe.AppendFrame(nil, ws.OpText, []byte(s)) }
		out := []byte("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
		conn.Write(append(out, frame(`0{"sid":"x","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}`)...))
		readText(t, conn, br)
		conn.Write(frame(`40{"sid":"y"}`))
		_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		_, err = br.ReadByte()
		serverErr <- err
	}()
	rec := &recorder{ready: make(chan *Conn, 1), packets: make(chan string, 4), closed: make(chan error, 1)}
	e, err := New(Config{Server: netip.MustParseAddrPort(ln.Addr().String()), Handler: rec, MaxFDs: 1 << 16})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	if _, err := e.Dial(1, netip.Addr{}); err != nil {
		t.Fatal(err)
	}
	var c *Conn
	select {
	case c = <-rec.ready:
	case <-time.After(5 * time.Second):
		t.Fatal("no ready")
	}
	c.Abort()
	select {
	case <-rec.closed:
	case <-time.After(5 * time.Second):
		t.Fatal("OnClose did not run after Abort")
	}
	if err := <-serverErr; !errors.Is(err, syscall.ECONNRESET) {
		t.Fatalf("server read %v, want a connection reset", err)
	}
}
