package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

const upgradeReq = "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: x\r\n" +
	"upgrade: WebSocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" +
	"Sec-WebSocket-Version: 13\r\n\r\n"

func TestParseUpgrade(t *testing.T) {
	n, key, err := parseUpgrade([]byte(upgradeReq + "\x81"))
	if err != nil || n != len(upgradeReq) || key != "dGhlIHNhbXBsZSBub25jZQ==" {
		t.Fatalf("n=%d key=%q err=%v", n, key, err)
	}
	if n, _, err := parseUpgrade([]byte(upgradeReq[:40])); n != 0 || err != nil {
		t.Fatalf("incomplete: n=%d err=%v", n, err)
	}
	bad := []string{
		strings.Replace(upgradeReq, "EIO=4", "EIO=3", 1),
		strings.Replace(upgradeReq, "transport=websocket", "transport=polling", 1),
		strings.Replace(upgradeReq, "/socket.io/", "/other/", 1),
		strings.Replace(upgradeReq, "GET", "POST", 1),
		strings.Replace(upgradeReq, "Sec-WebSocket-Key", "X-Key", 1),
		strings.Replace(upgradeReq, "upgrade: WebSocket", "upgrade: h2c", 1),
	}
	for _, b := range bad {
		if _, _, err := parseUpgrade([]byte(b)); err == nil {
			t.Errorf("accepted %q", b)
		}
	}
	if _, _, err := parseUpgrade(bytes.Repeat([]byte("x"), maxHeader+1)); err == nil {
		t.Error("unbounded header accepted")
	}
}

func TestAcceptKey(t *testing.T) { // RFC 6455 section 1.3
	if got := acceptKey("dGhlIHNhbXBsZSBub25jZQ=="); got != "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" {
		t.Fatal(got)
	}
}

// clientFrame builds a masked client frame.
func clientFrame(op byte, p []byte) []byte {
	mask := [4]byte{1, 2, 3, 4}
	f := appendFrame(nil, op, nil)[:1]
	switch n := len(p); {
	case n < 126:
		f = append(f, 0x80|byte(n))
	case n < 1<<16:
		f = append(f, 0x80|126, byte(n>>8), byte(n))
	default:
		f = append(f, 0x80|127, 0, 0, 0, 0, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	}
	f = append(f, mask[:]...)
	for i, b := range p {
		f = append(f, b^mask[i&3])
	}
	return f
}

func TestParseFrame(t *testing.T) {
	for _, size := range []int{0, 5, 125, 126, 300, 70000} {
		p := bytes.Repeat([]byte{'a'}, size)
		f := clientFrame(opText, p)
		for cut := 0; cut < len(f); cut += 1 + len(f)/7 {
			if _, _, n, err := parseFrame(bytes.Clone(f[:cut])); n != 0 || err != nil {
				t.Fatalf("size %d cut %d: n=%d err=%v", size, cut, n, err)
			}
		}
		op, got, n, err := parseFrame(append(bytes.Clone(f), 0x81))
		if err != nil || op != opText || n != len(f) || !bytes.Equal(got, p) {
			t.Fatalf("size %d: op=%d n=%d err=%v", size, op, n, err)
		}
	}
	unmasked := appendFrame(nil, opText, []byte("40"))
	if _, _, _, err := parseFrame(unmasked); err == nil {
		t.Error("unmasked client frame accepted")
	}
	fragment := clientFrame(opText, []byte("4"))
	fragment[0] &^= 0x80
	if _, _, _, err := parseFrame(fragment); err == nil {
		t.Error("fragment accepted")
	}
}

func TestAppendFrame(t *testing.T) {
	for _, tc := range []struct {
		size int
		head []byte
	}{{100, []byte{0x81, 100}}, {126, []byte{0x81, 126, 0, 126}}, {70000, []byte{0x81, 127, 0, 0, 0, 0, 0, 1, 0x11, 0x70}}} {
		f := appendFrame(nil, opText, make([]byte, tc.size))
		if !bytes.HasPrefix(f, tc.head) || len(f) != len(tc.head)+tc.size {
			t.Errorf("size %d: head % x", tc.size, f[:len(tc.head)])
		}
	}
}

func TestParseEvent(t *testing.T) {
	tests := []struct {
		in         string
		id         int64
		name, args string
		ok         bool
	}{
		{`2["broadcast",{"t":1,"p":"x"}]`, -1, "broadcast", `{"t":1,"p":"x"}`, true},
		{`217["echo",{"t":1},2]`, 17, "echo", `{"t":1},2`, true},
		{`23["join","room-7"]`, 3, "join", `"room-7"`, true},
		{`2["leave"]`, -1, "leave", ``, true},
		{`2[]`, -1, "", "", false},
		{`2["a\"b"]`, -1, "", "", false},
		{`2["x"`, -1, "", "", false},
		{`2/chat,["x"]`, -1, "", "", false},
		{`3["x"]`, -1, "", "", false},
	}
	for _, tc := range tests {
		ev, ok := parseEvent([]byte(tc.in))
		if ok != tc.ok || (ok && (ev.ID != tc.id || string(ev.Name) != tc.name || string(ev.Args) != tc.args)) {
			t.Errorf("%s: %+v %v", tc.in, ev, ok)
		}
	}
	room, data, ok := splitString([]byte(`"room-7",{"t":1}`))
	if !ok || string(room) != "room-7" || string(data) != `{"t":1}` {
		t.Errorf("splitString: %q %q %v", room, data, ok)
	}
}

func TestSummarize(t *testing.T) {
	var durs []time.Duration
	for i := 100; i >= 1; i-- {
		durs = append(durs, time.Duration(i)*time.Microsecond)
	}
	st := summarize(durs, 1000, 3)
	if st.P50 != 50*time.Microsecond || st.P99 != 99*time.Microsecond || st.Max != 100*time.Microsecond ||
		st.Mean != 50500*time.Nanosecond || st.PerWrite != 5050*time.Nanosecond || st.Blocked != 3 {
		t.Fatalf("%+v", st)
	}
	if s := summarize(nil, 0, 0); s.Broadcasts != 0 || s.Mean != 0 {
		t.Fatalf("%+v", s)
	}
}

// client is a raw test client of the floor server.
type client struct {
	t  *testing.T
	c  net.Conn
	br *bufio.Reader
}

func dial(t *testing.T, addr string) *client {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	cl := &client{t: t, c: c, br: bufio.NewReader(c)}
	c.SetDeadline(time.Now().Add(10 * time.Second))
	c.Write([]byte(upgradeReq))
	resp, err := cl.br.ReadString('\n')
	if err != nil || !strings.HasPrefix(resp, "HTTP/1.1 101") {
		t.Fatalf("upgrade: %q %v", resp, err)
	}
	sawAccept := false
	for {
		l, err := cl.br.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		if l == "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n" {
			sawAccept = true
		}
		if l == "\r\n" {
			break
		}
	}
	if !sawAccept {
		t.Fatal("no Sec-WebSocket-Accept")
	}
	if open := cl.read(); !strings.HasPrefix(open, `0{"sid":"`) ||
		!strings.HasSuffix(open, `","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}`) {
		t.Fatalf("open packet %q", open)
	}
	cl.send("40")
	if got := cl.read(); !strings.HasPrefix(got, `40{"sid":"`) {
		t.Fatalf("connect reply %q", got)
	}
	return cl
}

func (cl *client) send(s string) { cl.c.Write(clientFrame(opText, []byte(s))) }

// read returns the payload of the next server text frame.
func (cl *client) read() string {
	cl.t.Helper()
	h := make([]byte, 2)
	if _, err := io.ReadFull(cl.br, h); err != nil {
		cl.t.Fatal(err)
	}
	if h[0] != 0x81 || h[1]&0x80 != 0 {
		cl.t.Fatalf("frame head % x", h)
	}
	n := int(h[1])
	if n == 126 {
		io.ReadFull(cl.br, h)
		n = int(h[0])<<8 | int(h[1])
	}
	p := make([]byte, n)
	if _, err := io.ReadFull(cl.br, p); err != nil {
		cl.t.Fatal(err)
	}
	return string(p)
}

// TestServe drives a real server over loopback through every event of the
// bench contract, writing each frame at once (floor) and batched per
// connection (floor-batch, -batch).
func TestServe(t *testing.T) {
	for _, batch := range []bool{false, true} {
		t.Run(fmt.Sprintf("batch=%v", batch), func(t *testing.T) { testServe(t, batch) })
	}
}

func testServe(t *testing.T, batch bool) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	s, err := newServer("127.0.0.1", port)
	if err != nil {
		t.Fatal(err)
	}
	s.batch = batch
	done := make(chan error)
	go func() { done <- s.loop() }()
	addr := "127.0.0.1:" + strconv.Itoa(port)
	a, b := dial(t, addr), dial(t, addr)

	data := `{"t":100123456789,"p":"xxxxxxxx"}`
	a.send(`42["broadcast",` + data + `]`)
	for _, cl := range []*client{a, b} {
		if got := cl.read(); got != `42["broadcast",`+data+`]` {
			t.Fatalf("broadcast: %q", got)
		}
	}
	b.send(`4217["echo",` + data + `,2]`)
	if got := b.read(); got != `4317[`+data+`,2]` {
		t.Fatalf("echo: %q", got)
	}
	b.send(`423["join","room-7"]`)
	if got := b.read(); got != `433["room-7"]` {
		t.Fatalf("join ack: %q", got)
	}
	a.send(`425["to-room","room-7",` + data + `]`)
	if got := b.read(); got != `42["broadcast",`+data+`]` {
		t.Fatalf("to-room: %q", got)
	}
	if got := a.read(); got != `435[]` { // a is not in room-7: only its ack
		t.Fatalf("to-room ack: %q", got)
	}
	b.send("2")
	if got := b.read(); got != "3" {
		t.Fatalf("pong: %q", got)
	}
	b.c.Close()
	time.Sleep(50 * time.Millisecond)
	a.send(`42["broadcast",` + data + `]`)
	if got := a.read(); got != `42["broadcast",`+data+`]` {
		t.Fatalf("broadcast after a close: %q", got)
	}
	unix.Write(s.evfd, []byte{1, 0, 0, 0, 0, 0, 0, 0})
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	// Loops: the first broadcast to 2, the room to 1, the last one to 1.
	if g1, g2 := s.stats.by[1], s.stats.by[2]; g1 == nil || g2 == nil || len(g1.durs) != 2 || len(g2.durs) != 1 || g2.writes != 2 {
		t.Errorf("stats by recipients: %v %v", g1, g2)
	}
	a.c.Close()
}
