package socketio_test

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gobwas/ws"

	"github.com/sio-fast/sio-fast/engineio"
	"github.com/sio-fast/sio-fast/internal/wsframe"
	"github.com/sio-fast/sio-fast/loop"
	"github.com/sio-fast/sio-fast/socketio"
)

// A WebSocket session recovering its state while broadcasts to all keep
// coming: the packets it missed come from the store, the following ones
// from its loop's recipient table, which it enters behind the broadcasts
// already on their way (recipients.go). Every broadcast arrives once and in
// order across the two connections.
func TestRecoveryRacingBroadcastsToAll(t *testing.T) {
	for round := range 20 {
		if err := recoverDuringBroadcasts(); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
	}
}

func recoverDuringBroadcasts() error {
	sio := socketio.NewServer(socketio.Config{Recovery: socketio.DefaultRecovery()})
	m := loop.NewMemory(sio.NewEngine(engineio.Config{}))
	defer m.Close()
	addr := netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), 1)
	c1 := &wsReader{p: m.Dial(addr)}
	c1.p.Send([]byte(wsHandshake))
	c1.p.Send(clientText("40"))
	reply := ""
	for !strings.HasPrefix(reply, "40") { // after the Engine.IO open packet
		var err error
		if reply, err = c1.next(); err != nil {
			return err
		}
	}
	var hello struct{ PID string }
	if err := json.Unmarshal([]byte(strings.TrimPrefix(reply, "40")), &hello); err != nil || hello.PID == "" {
		return fmt.Errorf("CONNECT reply %q: %v", reply, err)
	}

	const total = 400
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // broadcasts to all, racing the disconnection and the recovery
		defer wg.Done()
		for i := 1; i <= total; i++ {
			_ = sio.Emit("seq", i)
			if i%8 == 0 {
				time.Sleep(20 * time.Microsecond)
			}
		}
	}()
	defer wg.Wait()

	seen := seqCheck{name: "broadcast"}
	offset := ""
	for seen.n < 40 { // some broadcasts on the first connection
		pk, err := c1.next()
		if err != nil {
			return err
		}
		n, off, ok := seqPacket(pk)
		if !ok {
			continue
		}
		if err := seen.see(n); err != nil {
			return err
		}
		offset = off
	}
	c1.p.Close() // the transport closes: the session is kept for recovery
	deadline := time.Now().Add(5 * time.Second)
	for sio.Sockets().NumSockets() != 0 {
		if time.Now().After(deadline) {
			return fmt.Errorf("the first socket did not disconnect")
		}
		time.Sleep(100 * time.Microsecond)
	}
	c2 := &wsReader{p: m.Dial(addr)}
	c2.p.Send([]byte(wsHandshake))
	c2.p.Send(clientText(fmt.Sprintf(`40{"pid":%q,"offset":%q}`, hello.PID, offset)))
	recovered := false
	for seen.last != total {
		pk, err := c2.next()
		if err != nil {
			return fmt.Errorf("after %d: %w", seen.last, err)
		}
		if strings.HasPrefix(pk, "40{") {
			recovered = strings.Contains(pk, hello.PID)
			continue
		}
		if n, _, ok := seqPacket(pk); ok {
			if err := seen.see(n); err != nil {
				return err
			}
		}
	}
	for !recovered { // the missed packets come before the CONNECT reply: maybe all of them
		pk, err := c2.next()
		if err != nil {
			return fmt.Errorf("no CONNECT reply: %w", err)
		}
		if strings.HasPrefix(pk, "40{") {
			if !strings.Contains(pk, hello.PID) {
				return fmt.Errorf("the session was not recovered: %s", pk)
			}
			recovered = true
		}
	}
	return nil
}

// clientText is one masked client text frame.
func clientText(s string) []byte {
	return wsframe.AppendClientFrame(nil, ws.OpText, true, [4]byte{1, 2, 3, 4}, []byte(s))
}

// seqPacket parses 42["seq",n,"offset"].
func seqPacket(pk string) (n int, offset string, ok bool) {
	var args []json.RawMessage
	if !strings.HasPrefix(pk, `42["seq",`) || json.Unmarshal([]byte(pk[2:]), &args) != nil || len(args) != 3 {
		return 0, "", false
	}
	n, err := strconv.Atoi(string(args[1]))
	if err != nil || json.Unmarshal(args[2], &offset) != nil {
		return 0, "", false
	}
	return n, offset, true
}

// wsReader reads the text frames a server sends to a MemPeer, after the
// HTTP response of the handshake.
type wsReader struct {
	p      *loop.MemPeer
	buf    []byte
	headed bool
}

// next returns the next text frame's payload.
func (r *wsReader) next() (string, error) {
	for {
		if !r.headed {
			if i := bytes.Index(r.buf, []byte("\r\n\r\n")); i >= 0 {
				r.buf, r.headed = r.buf[i+4:], true
			}
		}
		if r.headed {
			if pk, n := serverFrame(r.buf); n > 0 {
				r.buf = r.buf[n:]
				if pk == "2" || pk == "" { // ping, or not a text frame
					continue
				}
				return pk, nil
			}
		}
		b, closed := r.p.Recv(5 * time.Second)
		if len(b) == 0 {
			return "", fmt.Errorf("nothing received (closed %v)", closed)
		}
		r.buf = append(r.buf, b...)
	}
}

// serverFrame parses one unmasked frame at the start of b: its payload when
// it is a text frame ("" otherwise) and its length, 0 when incomplete.
func serverFrame(b []byte) (string, int) {
	if len(b) < 2 {
		return "", 0
	}
	n, h := int(b[1]&0x7f), 2
	switch n {
	case 126:
		if len(b) < 4 {
			return "", 0
		}
		n, h = int(binary.BigEndian.Uint16(b[2:])), 4
	case 127:
		if len(b) < 10 {
			return "", 0
		}
		n, h = int(binary.BigEndian.Uint64(b[2:])), 10
	}
	if len(b) < h+n {
		return "", 0
	}
	if b[0]&0x0f != byte(ws.OpText) {
		return "", h + n
	}
	return string(b[h : h+n]), h + n
}
