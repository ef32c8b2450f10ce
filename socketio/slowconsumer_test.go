package socketio_test

import (
	"bufio"
	"context"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/sio-fast/sio-fast/engineio"
	"github.com/sio-fast/sio-fast/loop"
	"github.com/sio-fast/sio-fast/socketio"
)

// A client that stops reading is closed by the loop's write-stall deadline,
// and its socket leaves with "transport close": the reason every slow
// consumer gets, whether the deadline or the queue cap closed it
// (loop.ErrSlowConsumer ends the transport like a peer's close does).
func TestStalledClientDisconnectsWithTransportClose(t *testing.T) {
	sio := socketio.NewServer(socketio.Config{})
	reasons := make(chan socketio.DisconnectReason, 1)
	stop := make(chan struct{})
	defer close(stop)
	msg := strings.Repeat("x", 1000)
	sio.OnConnection(func(s *socketio.Socket) {
		s.OnDisconnect(func(_ *socketio.Socket, r socketio.DisconnectReason) { reasons <- r })
		go func() { // flood the client, 200 KB/s
			for {
				select {
				case <-stop:
					return
				case <-time.After(5 * time.Millisecond):
				}
				_ = s.Emit("flood", msg)
			}
		}()
	})
	srv, err := loop.Serve("127.0.0.1:0", sio.NewEngine(engineio.Config{}),
		loop.WithWriteStallTimeout(300*time.Millisecond), loop.WithSendBuffer(16<<10))
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Shutdown(context.Background())
	nc := connectAndStall(t, srv.Addr().String())
	defer nc.Close()
	select {
	case r := <-reasons:
		if r != socketio.ReasonTransportClose {
			t.Fatalf("reason %q, want %q", r, socketio.ReasonTransportClose)
		}
	case <-time.After(15 * time.Second): // the queue cap alone: 20 s; the heartbeat: 45 s
		t.Fatal("the stalled client was not disconnected")
	}
}

// connectAndStall opens a WebSocket session with a 4 KiB receive buffer,
// connects the main namespace and then never reads.
func connectAndStall(t *testing.T, addr string) net.Conn {
	t.Helper()
	d := net.Dialer{Timeout: 5 * time.Second, Control: func(_, _ string, rc syscall.RawConn) error {
		return rc.Control(func(fd uintptr) { _ = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_RCVBUF, 4<<10) })
	}}
	nc, err := d.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = nc.Write([]byte(wsHandshake))
	_ = nc.SetReadDeadline(time.Now().Add(5 * time.Second))
	br := bufio.NewReader(nc)
	resp, err := http.ReadResponse(br, nil)
	if err != nil || resp.StatusCode != http.StatusSwitchingProtocols {
		t.Fatalf("upgrade: %v %v", resp, err)
	}
	if _, err := br.Peek(3); err != nil { // the open packet's frame
		t.Fatal(err)
	}
	// "40", masked with a zero key.
	if _, err := nc.Write([]byte{0x81, 0x82, 0, 0, 0, 0, '4', '0'}); err != nil {
		t.Fatal(err)
	}
	return nc
}
