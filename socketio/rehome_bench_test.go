package socketio_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gobwas/ws"
	"github.com/gobwas/ws/wsutil"

	"github.com/sio-fast/sio-fast/engineio"
	"github.com/sio-fast/sio-fast/loop"
	"github.com/sio-fast/sio-fast/socketio"
)

// BenchmarkBroadcastToUpgraded measures one broadcast to 400 sessions that
// opened by polling and upgraded to a WebSocket, on a server of two loops:
// about half of the WebSockets land on the other loop than their
// handshake's. Before the move, every write to those hopped through the
// WebSocket's loop's inbox; now the session lives there (docs/benchmarks.md,
// "Sessions moved to their WebSocket's loop"). The clients run in the same
// process and only count bytes; 32 broadcasts are in flight. cpu-ns/delivery
// is the whole process's CPU time (server and clients) per delivery.
func BenchmarkBroadcastToUpgraded(b *testing.B) {
	const clients, window = 400, 32
	sio := socketio.NewServer(socketio.Config{})
	sio.OnConnection(func(s *socketio.Socket) { s.Join("all") })
	srv, err := loop.Serve("127.0.0.1:0", sio.NewEngine(engineio.Config{}), loop.WithNumLoops(2), loop.WithGOMAXPROCSUnchanged())
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Shutdown(context.Background())
	base := "http://" + srv.Addr().String() + "/socket.io/?EIO=4"
	var received atomic.Int64 // bytes of broadcast frames
	for range clients {
		nc, err := openUpgraded(base)
		if err != nil {
			b.Fatal(err)
		}
		defer nc.Close()
		go func() {
			buf := make([]byte, 64<<10)
			for {
				n, err := nc.Read(buf)
				received.Add(int64(n))
				if err != nil {
					return
				}
			}
		}()
	}
	payload := "0123456789abcdef"
	frame := int64(2 + len(`42["b","`+payload+`"]`))
	deliveries := func() int64 { return received.Load() / frame }
	_ = sio.To("all").Emit("b", payload) // every client on its WebSocket
	for deliveries() < clients {
		time.Sleep(time.Millisecond)
	}
	received.Store(0)
	b.ReportAllocs()
	cpu0 := processCPU()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for deliveries() < int64(i-window)*clients {
			time.Sleep(50 * time.Microsecond)
		}
		_ = sio.To("all").Emit("b", payload)
	}
	for deliveries() < int64(b.N)*clients {
		time.Sleep(50 * time.Microsecond)
	}
	b.StopTimer()
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*clients), "ns/delivery")
	// CPU time is steadier than wall time on a shared machine.
	b.ReportMetric(float64(processCPU()-cpu0)/float64(b.N*clients), "cpu-ns/delivery")
}

// openUpgraded opens a session as socket.io-client does by default:
// polling handshake and CONNECT, then a WebSocket with the probe and "5".
func openUpgraded(base string) (net.Conn, error) {
	hc := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{}}
	defer hc.CloseIdleConnections()
	sid, err := pollHandshake(hc, base)
	if err != nil {
		return nil, err
	}
	url := base + "&transport=polling&sid=" + sid
	resp, err := hc.Post(url, "text/plain", strings.NewReader("40"))
	if err != nil {
		return nil, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if _, err := pollGet(hc, url); err != nil { // the CONNECT answer
		return nil, err
	}
	nc, err := dialProbe(base, sid)
	if err != nil {
		return nil, err
	}
	if err := wsutil.WriteClientText(nc, []byte("5")); err != nil {
		nc.Close()
		return nil, err
	}
	return nc, nil
}

// pollHandshake opens a polling session and returns its id.
func pollHandshake(hc *http.Client, base string) (string, error) {
	body, err := pollGet(hc, base+"&transport=polling")
	if err != nil {
		return "", err
	}
	const key = `"sid":"`
	i := strings.Index(body, key)
	if !strings.HasPrefix(body, "0") || i < 0 {
		return "", fmt.Errorf("handshake %q", body)
	}
	rest := body[i+len(key):]
	return rest[:strings.IndexByte(rest, '"')], nil
}

// dialProbe opens the WebSocket of session sid and runs the probe.
func dialProbe(base, sid string) (net.Conn, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	nc, _, _, err := ws.Dial(ctx, "ws"+strings.TrimPrefix(base, "http")+"&transport=websocket&sid="+sid)
	if err != nil {
		return nil, err
	}
	_ = nc.SetDeadline(time.Now().Add(10 * time.Second))
	if err := wsutil.WriteClientText(nc, []byte("2probe")); err != nil {
		nc.Close()
		return nil, err
	}
	if msg, err := wsutil.ReadServerText(nc); err != nil || string(msg) != "3probe" {
		nc.Close()
		return nil, fmt.Errorf("probe answer %q, %v", msg, err)
	}
	_ = nc.SetDeadline(time.Time{})
	return nc, nil
}

func pollGet(hc *http.Client, url string) (string, error) {
	resp, err := hc.Get(url)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("GET %s: %d %s", url, resp.StatusCode, b)
	}
	return string(b), err
}
