package socketio_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/netip"
	"testing"
	"time"

	"github.com/sio-fast/sio-fast/engineio"
	"github.com/sio-fast/sio-fast/loop"
	"github.com/sio-fast/sio-fast/socketio"
)

// pollClient is an in-memory long-polling Socket.IO client: its next GET
// and a POST carrying a pong, both ready to send.
type pollClient struct {
	p         *loop.MemPeer
	get, pong []byte
}

const pollingHandshake = "GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\n\r\n"

// pollingPost is a POST of body for session sid.
func pollingPost(sid, body string) []byte {
	return fmt.Appendf(nil, "POST /socket.io/?EIO=4&transport=polling&sid=%s HTTP/1.1\r\nHost: x\r\n"+
		"Content-Type: text/plain;charset=UTF-8\r\nContent-Length: %d\r\n\r\n%s", sid, len(body), body)
}

// pollingClients connects n polling-only clients to the main namespace on
// m: the handshake, "40" in a POST, then the GET that brings the CONNECT
// answer. Each keeps one keep-alive connection (so POSTs and GETs take
// turns on it: no GET is parked when the helpers return).
func pollingClients(tb testing.TB, m *loop.Memory, n int) []pollClient {
	tb.Helper()
	out := make([]pollClient, n)
	for i := range out {
		p := m.Dial(netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), uint16(i)))
		p.Send([]byte(pollingHandshake))
		b, _ := p.Recv(time.Second)
		_, after, ok := bytes.Cut(b, []byte(`"sid":"`))
		sid, _, ok2 := bytes.Cut(after, []byte(`"`))
		if !ok || !ok2 {
			tb.Fatalf("client %d: handshake answer %q", i, b)
		}
		p.Send(pollingPost(string(sid), "40"))
		if b, _ := p.Recv(time.Second); !bytes.HasSuffix(b, []byte("ok")) {
			tb.Fatalf("client %d: POST 40 answered %q", i, b)
		}
		get := fmt.Appendf(nil, "GET /socket.io/?EIO=4&transport=polling&sid=%s HTTP/1.1\r\nHost: x\r\n\r\n", sid)
		p.Send(get)
		if b, _ := p.Recv(time.Second); !bytes.Contains(b, []byte("\r\n\r\n40{")) {
			tb.Fatalf("client %d: GET answered %q", i, b)
		}
		p.SetDiscard(true)
		out[i] = pollClient{p: p, get: get, pong: pollingPost(string(sid), "3")}
	}
	return out
}

// pollRound parks every client's GET, then broadcasts once: each GET is
// answered with the broadcast.
func pollRound(tb testing.TB, sio *socketio.Server, m *loop.Memory, clients []pollClient, payload json.RawMessage) {
	for _, c := range clients {
		c.p.Send(c.get)
	}
	if err := sio.Emit("broadcast", payload); err != nil {
		tb.Fatal(err)
	}
	m.Tick(0)
}

func pollPeers(clients []pollClient) []*loop.MemPeer {
	peers := make([]*loop.MemPeer, len(clients))
	for i, c := range clients {
		peers[i] = c.p
	}
	return peers
}

var pollPayload = json.RawMessage(`{"t":100123456789,"p":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}`)

// BenchmarkPollingBroadcast measures one broadcast delivered over
// long-polling to 1,000 in-memory clients: each client's GET read and
// parked, then answered with the broadcast (the server's side of a polled
// delivery, without system calls). ns/delivery and allocs/op divide by
// nothing: one op is the whole round of 1,000 GETs and their answers. It
// fails unless every client got an answer each round.
func BenchmarkPollingBroadcast(b *testing.B) {
	const n = 1000
	sio := socketio.NewServer(socketio.Config{})
	m := loop.NewMemory(sio.NewEngine(engineio.Config{}))
	defer m.Close()
	clients := pollingClients(b, m, n)
	peers := pollPeers(clients)
	pollRound(b, sio, m, clients, pollPayload)
	settle(m, peers)
	before := peers[0].Written()
	rounds := 0
	b.ReportAllocs()
	for b.Loop() {
		pollRound(b, sio, m, clients, pollPayload)
		rounds++
	}
	settle(m, peers)
	per := (peers[0].Written() - before) / rounds
	for i, p := range peers {
		if p.Written() != peers[0].Written() || per == 0 {
			b.Fatalf("client %d received %d bytes, client 0 %d (%d per round)", i, p.Written(), peers[0].Written(), per)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(rounds)/n, "ns/delivery")
}

// BenchmarkPollingPong measures a POST carrying a pong ("3"), answered "ok",
// on a keep-alive connection.
func BenchmarkPollingPong(b *testing.B) {
	sio := socketio.NewServer(socketio.Config{})
	m := loop.NewMemory(sio.NewEngine(engineio.Config{}))
	defer m.Close()
	c := pollingClients(b, m, 1)[0]
	before := c.p.Written()
	b.ReportAllocs()
	rounds := 0
	for b.Loop() {
		c.p.Send(c.pong)
		rounds++
	}
	if c.p.Written() == before {
		b.Fatal("no answer")
	}
}
