package engineio

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"testing"
	"time"
)

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

// The request timeout covers a request's arrival, not the wait between
// requests on a kept-alive connection (the keep-alive timeout, 5 s, does).
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

// sendRequest writes a keep-alive GET for target and reads its response.
func sendRequest(t *testing.T, nc net.Conn, r *bufio.Reader, target string) *http.Response {
	t.Helper()
	if _, err := nc.Write([]byte("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n")); err != nil {
		t.Fatal(err)
	}
	_ = nc.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := http.ReadResponse(r, nil)
	if err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp
}

// expectQuietClose waits for the server to end the stream without sending
// anything, and returns how long that took.
func expectQuietClose(t *testing.T, nc net.Conn, r *bufio.Reader) time.Duration {
	t.Helper()
	start := time.Now()
	_ = nc.SetReadDeadline(time.Now().Add(5 * time.Second))
	if b, err := r.ReadByte(); err != io.EOF {
		t.Fatalf("read %q, %v; want EOF", b, err)
	}
	return time.Since(start)
}

// A kept-alive connection that carries no request for the keep-alive
// timeout is closed, and responses say so (Node's keepAliveTimeout).
func TestIdleKeptAliveConnectionIsClosed(t *testing.T) {
	_, base := startServer(t, suiteConfig(), func(srv *Server) { srv.keepAliveTimeout = 200 * time.Millisecond })
	nc := dialRaw(t, base)
	r := bufio.NewReader(nc)
	resp := sendRequest(t, nc, r, eioPath+"?EIO=4&transport=polling")
	if resp.StatusCode != 200 || resp.Header.Get("Keep-Alive") != "timeout=5" {
		t.Fatalf("status %d, Keep-Alive %q", resp.StatusCode, resp.Header.Get("Keep-Alive"))
	}
	if took := expectQuietClose(t, nc, r); took < 100*time.Millisecond || took > 3*time.Second {
		t.Fatalf("closed after %v", took)
	}
}

// A connection whose polling GET waits for packets is not idle, however
// long it waits; once answered, it rests and is closed after the timeout.
func TestParkedGetConnectionIsNotIdle(t *testing.T) {
	cfg := suiteConfig()
	cfg.PingInterval = 5 * time.Second // no ping answers the GET during the test
	base, got := startWithSessions(t, cfg, func(srv *Server) { srv.keepAliveTimeout = 100 * time.Millisecond })
	sid := handshakePolling(t, base, eioPath)
	sock := <-got
	nc := dialRaw(t, base)
	r := bufio.NewReader(nc)
	if _, err := nc.Write([]byte("GET " + eioPath + "?EIO=4&transport=polling&sid=" + sid + " HTTP/1.1\r\nHost: x\r\n\r\n")); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond) // five keep-alive timeouts
	sock.SendText([]byte("late"))
	_ = nc.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := http.ReadResponse(r, nil)
	if err != nil {
		t.Fatalf("the parked GET's connection was closed: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	if string(body) != "4late" {
		t.Fatalf("GET body %q", body)
	}
	if took := expectQuietClose(t, nc, r); took > 3*time.Second {
		t.Fatalf("closed after %v", took)
	}
}
