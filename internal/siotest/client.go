package siotest

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/gobwas/ws"
	"github.com/gobwas/ws/wsutil"
)

// Client is a bare Socket.IO client over WebSocket: it connects to "/",
// answers pings, and hands every other Socket.IO packet to the test as
// text (a binary frame as "<bin payload>"). Its methods are for the test's
// goroutine.
type Client struct {
	t    testing.TB
	conn net.Conn
	rw   io.ReadWriter
	ID   string // the socket id
	PID  string // the recovery session's private id (recovery on)
	in   chan string
}

// Dial connects to the server at base ("http://host:port") and fails t if
// it cannot; the connection is closed when t ends.
func Dial(t testing.TB, base string) *Client { return DialAuth(t, base, "") }

// DialAuth connects with auth as the CONNECT payload ("" for none) and
// hands the packets written before the CONNECT reply (a restore's missed
// ones) to the test first.
func DialAuth(t testing.TB, base, auth string) *Client {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	u := "ws" + strings.TrimPrefix(base, "http") + "/socket.io/?EIO=4&transport=websocket"
	conn, br, _, err := ws.Dial(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	c := &Client{t: t, conn: conn, rw: conn, in: make(chan string, 256)}
	if br != nil { // the server's first frames came with the 101
		c.rw = struct {
			io.Reader
			io.Writer
		}{io.MultiReader(br, conn), conn}
	}
	t.Cleanup(func() { conn.Close() })
	if open := c.read(); !strings.HasPrefix(open, "0{") {
		t.Fatalf("open packet %q", open)
	}
	c.Send("40" + auth)
	ok := c.read()
	for strings.HasPrefix(ok, "42") {
		c.in <- ok
		ok = c.read()
	}
	var reply struct{ SID, PID string }
	if !strings.HasPrefix(ok, "40{") || json.Unmarshal([]byte(ok[2:]), &reply) != nil {
		t.Fatalf("connect answer %q", ok)
	}
	c.ID, c.PID = reply.SID, reply.PID
	go c.loop()
	return c
}

func (c *Client) read() string {
	_ = c.conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	b, err := wsutil.ReadServerText(c.rw)
	if err != nil {
		c.t.Fatalf("read: %v", err)
	}
	return string(b)
}

func (c *Client) loop() {
	defer close(c.in)
	for {
		_ = c.conn.SetReadDeadline(time.Time{})
		msgs, err := wsutil.ReadServerMessage(c.rw, nil)
		if err != nil {
			return
		}
		for _, m := range msgs {
			s := string(m.Payload)
			switch {
			case m.OpCode == ws.OpBinary:
				c.in <- "<bin " + string(m.Payload) + ">"
			case s == "2":
				_ = wsutil.WriteClientText(c.conn, []byte("3"))
			default:
				c.in <- s
			}
		}
	}
}

// Send writes one Socket.IO packet (Engine.IO message) as text.
func (c *Client) Send(s string) {
	if err := wsutil.WriteClientText(c.conn, []byte(s)); err != nil {
		c.t.Fatalf("send: %v", err)
	}
}

// Next returns the next packet, failing the test after 10 s.
func (c *Client) Next() string {
	c.t.Helper()
	select {
	case s, ok := <-c.in:
		if !ok {
			c.t.Fatal("connection closed")
		}
		return s
	case <-time.After(10 * time.Second):
		c.t.Fatal("no packet within 10 s")
	}
	return ""
}

// Expect reads the next packet and fails the test unless it is want.
func (c *Client) Expect(want string) {
	c.t.Helper()
	if got := c.Next(); got != want {
		c.t.Fatalf("client %s got %q, want %q", c.ID, got, want)
	}
}

// Quiet fails the test if a packet arrives within d.
func (c *Client) Quiet(d time.Duration) {
	c.t.Helper()
	select {
	case s := <-c.in:
		c.t.Fatalf("client %s got unexpected %q", c.ID, s)
	case <-time.After(d):
	}
}

// Drain discards every packet from now on, on a goroutine (a client that
// only loads the server).
func (c *Client) Drain() {
	go func() {
		for range c.in {
		}
	}()
}

// Close drops the connection without a DISCONNECT, as a client that goes
// away.
func (c *Client) Close() { _ = c.conn.Close() }

// Packets is the channel of incoming packets, closed when the connection
// ends, for a test that waits with its own timeout.
func (c *Client) Packets() <-chan string { return c.in }
