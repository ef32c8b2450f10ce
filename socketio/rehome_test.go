package socketio_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gobwas/ws/wsutil"

	"github.com/sio-fast/sio-fast/engineio"
	"github.com/sio-fast/sio-fast/loop"
	"github.com/sio-fast/sio-fast/socketio"
)

// Hundreds of sessions open by polling and upgrade to a WebSocket (often on
// another loop, where the session then moves) while the server broadcasts
// to all of them and emits to each one without pause: every client gets
// every broadcast and every emit sent after it joined exactly once and in
// order, across the polling answers, the flush of the polling queue at the
// upgrade and the WebSocket, and its acks come back in order. With -race
// this also checks that no loop touches a session that has left it.
// Broadcast to a room, the sockets are collected one by one; broadcast to
// all, each loop walks its recipient table, which an upgraded socket
// enters (checked by each client once on WebSocket), and which is empty
// once every client left.
func TestUpgradesRacingBroadcasts(t *testing.T) {
	t.Run("room", func(t *testing.T) {
		testUpgradesRacingBroadcasts(t, func(sio *socketio.Server, i int) { _ = sio.To("all").Emit("b", i) })
	})
	t.Run("all", func(t *testing.T) {
		testUpgradesRacingBroadcasts(t, func(sio *socketio.Server, i int) { _ = sio.Emit("b", i) })
	})
}

func testUpgradesRacingBroadcasts(t *testing.T, broadcast func(*socketio.Server, int)) {
	const clients, parallel = 240, 12
	sio := socketio.NewServer(socketio.Config{})
	stop := make(chan struct{})
	var emitters sync.WaitGroup
	sio.OnConnection(func(s *socketio.Socket) {
		s.Join("all")
		s.On("echo", func(_ *socketio.Socket, a socketio.Args, ack socketio.AckFunc) {
			n, _ := a.Int(0)
			_ = ack(n)
		})
		s.On("check", func(s *socketio.Socket, _ socketio.Args, ack socketio.AckFunc) {
			_ = ack(socketio.ListedOnHome(s))
		})
		gone := make(chan struct{})
		s.OnDisconnect(func(*socketio.Socket, socketio.DisconnectReason) { close(gone) })
		emitters.Add(1)
		go func() { // this socket's own stream, racing the upgrade
			defer emitters.Done()
			for i := 1; ; i++ {
				select {
				case <-stop:
					return
				case <-gone:
					return
				default:
				}
				_ = s.Emit("p", i)
				time.Sleep(200 * time.Microsecond)
			}
		}()
	})
	srv, err := loop.Serve("127.0.0.1:0", sio.NewEngine(engineio.Config{}), loop.WithNumLoops(2))
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Shutdown(context.Background())
	defer emitters.Wait()
	defer close(stop)
	go func() { // the broadcast stream
		for i := 1; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			broadcast(sio, i)
			time.Sleep(200 * time.Microsecond)
		}
	}()

	movesBefore := engineio.HomeMoves()
	base := "http://" + srv.Addr().String() + "/socket.io/?EIO=4"
	errs := make(chan error, clients)
	var next atomic.Int32
	var wg sync.WaitGroup
	for range parallel {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= clients {
				errs <- upgradeAndCheck(base)
			}
		}()
	}
	wg.Wait()
	close(errs)
	failed := 0
	for err := range errs {
		if err != nil {
			if failed++; failed <= 5 {
				t.Error(err)
			}
		}
	}
	// The loops take connections in turn, so many WebSockets land on the
	// other loop than their handshake's; each such upgrade is a move.
	moved := engineio.HomeMoves() - movesBefore
	t.Logf("%d upgrades, %d sessions moved to their WebSocket's loop", clients, moved)
	if moved < clients/8 {
		t.Fatalf("only %d of %d upgrades moved a session: the test did not race moves", moved, clients)
	}
	// Every client closed: the recipient tables let go of every socket.
	deadline := time.Now().Add(10 * time.Second)
	for sio.Sockets().NumSockets() > 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n, err := socketio.CheckRecipients(sio.Sockets()); err != nil || n != 0 {
		t.Fatalf("recipient tables after every client left: %d sockets, %v", n, err)
	}
}

// seqCheck checks that one stream's numbers arrive consecutively.
type seqCheck struct {
	name string
	last int
	n    int
}

func (c *seqCheck) see(v int) error {
	if c.last != 0 && v != c.last+1 {
		return fmt.Errorf("%s: got %d after %d", c.name, v, c.last)
	}
	c.last, c.n = v, c.n+1
	return nil
}

// sioClient is one test client: its streams and the way it receives.
type sioClient struct {
	b, p, acks seqCheck
}

// packet checks one Engine.IO packet from either transport.
func (c *sioClient) packet(pk string) error {
	switch {
	case strings.HasPrefix(pk, `42["b",`):
		return c.b.see(atoiPrefix(pk[len(`42["b",`):]))
	case strings.HasPrefix(pk, `42["p",`):
		return c.p.see(atoiPrefix(pk[len(`42["p",`):]))
	case strings.HasPrefix(pk, "43"):
		id := atoiPrefix(pk[2:])
		if want := atoiPrefix(pk[strings.IndexByte(pk, '[')+1:]); id != want {
			return fmt.Errorf("ack %d carries %d", id, want)
		}
		return c.acks.see(id)
	}
	return nil
}

func atoiPrefix(s string) int {
	end := 0
	for end < len(s) && s[end] >= '0' && s[end] <= '9' {
		end++
	}
	n, _ := strconv.Atoi(s[:end])
	return n
}

// upgradeAndCheck runs one client as socket.io-client does: polling
// handshake and CONNECT, polling while the WebSocket probes, then "5" and
// the WebSocket; it reads until it saw both streams go on after the
// upgrade, sending acked messages meanwhile.
func upgradeAndCheck(base string) error {
	hc := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{}} // a fresh connection
	defer hc.CloseIdleConnections()
	c := &sioClient{b: seqCheck{name: "broadcast"}, p: seqCheck{name: "emit"}, acks: seqCheck{name: "ack"}}
	sid, err := pollHandshake(hc, base)
	if err != nil {
		return err
	}
	url := base + "&transport=polling&sid=" + sid
	if resp, err := hc.Post(url, "text/plain", strings.NewReader("40")); err != nil {
		return err
	} else {
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	// Poll until the server answers a noop: the probe succeeded.
	polled := make(chan error, 1)
	go func() {
		for {
			body, err := pollGet(hc, url)
			if err != nil {
				polled <- err
				return
			}
			for _, pk := range strings.Split(body, "\x1e") {
				if pk == "6" {
					polled <- nil
					return
				}
				if err := c.packet(pk); err != nil {
					polled <- err
					return
				}
			}
		}
	}()
	nc, err := dialProbe(base, sid)
	if err != nil {
		return err
	}
	defer nc.Close()
	_ = nc.SetDeadline(time.Now().Add(20 * time.Second))
	if err := <-polled; err != nil {
		return err
	}
	if err := wsutil.WriteClientText(nc, []byte("5")); err != nil {
		return err
	}
	bAt, pAt := c.b.n, c.p.n
	sent := 0
	for c.b.n < bAt+20 || c.p.n < pAt+20 || c.acks.n < sent {
		if sent < 10 {
			sent++
			if err := wsutil.WriteClientText(nc, fmt.Appendf(nil, `42%d["echo",%d]`, sent, sent)); err != nil {
				return err
			}
		}
		msg, err := wsutil.ReadServerText(nc)
		if err != nil {
			return fmt.Errorf("after the upgrade (broadcasts %d, emits %d): %w", c.b.n, c.p.n, err)
		}
		if string(msg) == "2" {
			_ = wsutil.WriteClientText(nc, []byte("3"))
			continue
		}
		if err := c.packet(string(msg)); err != nil {
			return err
		}
	}
	if c.p.n == 0 || c.p.last != c.p.n {
		return fmt.Errorf("emits: %d received, last %d: some before were lost", c.p.n, c.p.last)
	}
	return checkListed(nc, c)
}

// checkListed asks the server whether the socket, on WebSocket for twenty
// broadcasts, is in the recipient table of its loop (ack id 1000).
func checkListed(nc io.ReadWriter, c *sioClient) error {
	if err := wsutil.WriteClientText(nc, []byte(`421000["check"]`)); err != nil {
		return err
	}
	for {
		msg, err := wsutil.ReadServerText(nc)
		if err != nil {
			return fmt.Errorf("waiting for the check: %w", err)
		}
		switch string(msg) {
		case "2":
			_ = wsutil.WriteClientText(nc, []byte("3"))
		case "431000[true]":
			return nil
		case "431000[false]":
			return fmt.Errorf("upgraded socket not in its loop's recipient table")
		default:
			if err := c.packet(string(msg)); err != nil {
				return err
			}
		}
	}
}
