package engineio

import (
	"bytes"
	"net/netip"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sio-fast/sio-fast/loop"
)

// TestBroadcastMatchesWritePrepared: Broadcast.WritePrepared writes to
// every kind of session what Socket.WritePrepared writes to it — the
// shared v4 frames, the v3 frames, the compressed frames, polling packets
// queued for the next GET — and nothing to a closed session.
func TestBroadcastMatchesWritePrepared(t *testing.T) {
	srv := NewServer(Config{AllowEIO3: true, PerMessageDeflate: &PerMessageDeflate{Threshold: -1}})
	socks := make(chan *Socket, 8)
	srv.OnConnection(func(s *Socket) { socks <- s })
	m := loop.NewMemory(srv)
	defer m.Close()
	defer srv.Close()
	dial := func(req string) (*loop.MemPeer, *Socket, []byte) {
		p := m.Dial(netip.AddrPort{})
		p.Send([]byte(req))
		hello, _ := p.Recv(time.Second)
		return p, <-socks, hello
	}
	v4, s4, _ := dial(benchWSHandshake)
	v3, s3, _ := dial(strings.Replace(benchWSHandshake, "EIO=4", "EIO=3", 1))
	defl, sd, _ := dial(strings.Replace(benchWSHandshake, "\r\n\r\n", "\r\nSec-WebSocket-Extensions: permessage-deflate\r\n\r\n", 1))
	gone, sg, _ := dial(benchWSHandshake)
	poll, sp, hello := dial(benchPollHandshake)
	sid := regexp.MustCompile(`"sid":"([^"]+)"`).FindSubmatch(hello)
	if sid == nil {
		t.Fatalf("no sid in %q", hello)
	}
	if !sd.wsDeflate {
		t.Fatal("permessage-deflate not negotiated")
	}
	gone.Close()
	all := []*Socket{s4, s3, sd, sg, sp}
	ws := []*loop.MemPeer{v4, v3, defl, gone}
	// A text message long enough to compress, and a binary attachment
	// (framed differently for v3).
	text := []byte(`2["news","` + strings.Repeat("broadcast to every kind of session ", 20) + `"]`)
	p := NewPrepared(Message{Data: text}, Message{Data: []byte{1, 2, 3}, Binary: true})

	// written runs fn on the loop and returns what each WebSocket peer got.
	written := func(fn func()) [][]byte {
		m.Loop().Execute(fn)
		m.Tick(0)
		out := make([][]byte, len(ws))
		for i, peer := range ws {
			out[i], _ = peer.Recv(50 * time.Millisecond)
		}
		return out
	}
	var b Broadcast
	batch := written(func() { b.WritePrepared(all, p, false) })
	single := written(func() {
		for _, s := range all {
			s.WritePrepared(p, false)
		}
	})
	for i, name := range []string{"v4", "v3", "deflate", "closed"} {
		if !bytes.Equal(batch[i], single[i]) {
			t.Errorf("%s: Broadcast wrote %q, WritePrepared %q", name, batch[i], single[i])
		}
	}
	if !bytes.Equal(batch[0], p.ws) {
		t.Errorf("v4 got %q, want the shared frames %q", batch[0], p.ws)
	}
	if len(batch[1]) == 0 || bytes.Equal(batch[1], p.ws) {
		t.Errorf("v3 got %q, want v3 frames", batch[1])
	}
	if len(batch[2]) == 0 || batch[2][0]&0x40 == 0 {
		t.Errorf("deflate got %q, want a compressed frame (RSV1)", batch[2])
	}
	if len(batch[3]) != 0 {
		t.Errorf("closed session got %q", batch[3])
	}
	// The polling session queued both: its next GET gets them.
	poll.Send([]byte("GET /engine.io/?EIO=4&transport=polling&sid=" + string(sid[1]) + " HTTP/1.1\r\nHost: x\r\n\r\n"))
	got, _ := poll.Recv(time.Second)
	if n := bytes.Count(got, []byte("4"+string(text))); n != 2 {
		t.Errorf("polling GET got %q: the message %d times, want 2", got, n)
	}
}

// A session whose WebSocket lives on another loop than its home still gets
// a Broadcast's messages (through the loop of the WebSocket).
func TestBroadcastAcrossLoops(t *testing.T) {
	s, w := startUpgradedAcrossLoops(t)
	p := NewPrepared(Message{Data: []byte("across")})
	onHome(s, func() {
		var b Broadcast
		b.WritePrepared([]*Socket{s}, p, false)
	})
	if got := w.readText(t); got != "4across" {
		t.Fatalf("got %q, want 4across", got)
	}
}
