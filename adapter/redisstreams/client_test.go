package redisstreams_test

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

	"github.com/sio-fast/sio-fast/socketio"
)

// wsClient is a bare Socket.IO client over WebSocket for the Go-only
// cluster tests: it connects to "/", answers pings, and hands every other
// Socket.IO packet to the test as text.
type wsClient struct {
	t    testing.TB
	conn net.Conn
	rw   io.ReadWriter
	id   string
	pid  string // the recovery session's private id (recovery on)
	in   chan string
}

func dial(t testing.TB, base string) *wsClient { return dialAuth(t, base, "") }

// dialAuth connects with auth as the CONNECT payload ("" for none) and
// hands the packets written before the CONNECT reply (a restore's missed
// ones) to the test first.
func dialAuth(t testing.TB, base, auth string) *wsClient {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	u := "ws" + strings.TrimPrefix(base, "http") + "/socket.io/?EIO=4&transport=websocket"
	conn, br, _, err := ws.Dial(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	c := &wsClient{t: t, conn: conn, rw: conn, in: make(chan string, 256)}
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
	c.send("40" + auth)
	ok := c.read()
	for strings.HasPrefix(ok, "42") {
		c.in <- ok
		ok = c.read()
	}
	var reply struct{ SID, PID string }
	if !strings.HasPrefix(ok, "40{") || json.Unmarshal([]byte(ok[2:]), &reply) != nil {
		t.Fatalf("connect answer %q", ok)
	}
	c.id, c.pid = reply.SID, reply.PID
	go c.loop()
	return c
}

func (c *wsClient) read() string {
	_ = c.conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	b, err := wsutil.ReadServerText(c.rw)
	if err != nil {
		c.t.Fatalf("read: %v", err)
	}
	return string(b)
}

func (c *wsClient) loop() {
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

func (c *wsClient) send(s string) {
	if err := wsutil.WriteClientText(c.conn, []byte(s)); err != nil {
		c.t.Fatalf("send: %v", err)
	}
}

// next returns the next packet, failing the test after 10 s.
func (c *wsClient) next() string {
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

// expect reads packets until want, failing on anything else unless skip
// matches it.
func (c *wsClient) expect(want string) {
	c.t.Helper()
	if got := c.next(); got != want {
		c.t.Fatalf("client %s got %q, want %q", c.id, got, want)
	}
}

// quiet checks that nothing arrives for d.
func (c *wsClient) quiet(d time.Duration) {
	c.t.Helper()
	select {
	case s := <-c.in:
		c.t.Fatalf("client %s got unexpected %q", c.id, s)
	case <-time.After(d):
	}
}

// str is argument i of args when it is a string, "" otherwise.
func str(args socketio.Args, i int) string {
	s, _ := args.String(i)
	return s
}
