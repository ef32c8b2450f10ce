package engineio

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// dialRaw opens a TCP connection to the test server, closed at the end.
func dialRaw(t *testing.T, base string) net.Conn {
	t.Helper()
	nc, err := net.DialTimeout("tcp", strings.TrimPrefix(base, "http://"), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = nc.Close() })
	return nc
}

// expect408ThenClose reads a 408 response and then the end of the stream,
// and returns how long that took.
func expect408ThenClose(t *testing.T, nc net.Conn) time.Duration {
	t.Helper()
	start := time.Now()
	_ = nc.SetReadDeadline(time.Now().Add(5 * time.Second))
	r := bufio.NewReader(nc)
	resp, err := http.ReadResponse(r, nil)
	if err != nil {
		t.Fatalf("no response: %v", err)
	}
	if resp.StatusCode != http.StatusRequestTimeout {
		t.Fatalf("status %d, want 408", resp.StatusCode)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	if _, err := r.ReadByte(); err != io.EOF {
		t.Fatalf("after the 408: %v, want EOF", err)
	}
	return time.Since(start)
}

func startTimeoutServer(t *testing.T, d time.Duration) string {
	t.Helper()
	_, base := startServer(t, suiteConfig(), func(srv *Server) { srv.requestTimeout = d })
	return base
}

// A client that connects and sends nothing gets a 408 and the close after
// the request timeout: it cannot hold a descriptor for ever.
func TestSilentConnectionTimesOut(t *testing.T) {
	nc := dialRaw(t, startTimeoutServer(t, 200*time.Millisecond))
	if took := expect408ThenClose(t, nc); took > 3*time.Second {
		t.Fatalf("closed after %v", took)
	}
}

// A request that stops half way times out the same way, however slowly its
// bytes trickle in: the deadline is not moved by each byte.
func TestPartialRequestTimesOut(t *testing.T) {
	nc := dialRaw(t, startTimeoutServer(t, 300*time.Millisecond))
	for _, part := range []string{"GET /engine.io/", "?EIO=4&trans", "port=polling HT"} {
		if _, err := nc.Write([]byte(part)); err != nil {
			t.Fatal(err)
		}
		time.Sleep(120 * time.Millisecond)
	}
	if took := expect408ThenClose(t, nc); took > 3*time.Second {
		t.Fatalf("closed after %v", took)
	}
}

// A kept-alive connection between requests is not timed out: the timeout
// covers a request's arrival, not the wait for the next one.
func TestKeptAliveConnectionBetweenRequestsStaysOpen(t *testing.T) {
	nc := dialRaw(t, startTimeoutServer(t, 100*time.Millisecond))
	r := bufio.NewReader(nc)
	for i := range 2 {
		if _, err := nc.Write([]byte("GET /engine.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\n\r\n")); err != nil {
			t.Fatal(err)
		}
		_ = nc.SetReadDeadline(time.Now().Add(5 * time.Second))
		resp, err := http.ReadResponse(r, nil)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("request %d: %v %v", i, resp, err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		time.Sleep(400 * time.Millisecond)
	}
}
