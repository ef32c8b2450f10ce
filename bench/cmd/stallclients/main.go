// Command stallclients opens Socket.IO WebSocket connections that complete
// the handshake (open packet, then "40") and never read again: the slow
// consumers of the write-stall measurements in docs/benchmarks.md. It holds
// them until SIGINT/SIGTERM, then reports how many the server closed.
//
//	stallclients -addr 127.0.0.1:3000 -n 100
package main

import (
	"bufio"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:3000", "server host:port")
	n := flag.Int("n", 100, "connections that stop reading after the handshake")
	flag.Parse()
	conns := make([]net.Conn, 0, *n)
	for i := 0; i < *n; i++ {
		nc, err := handshake(*addr)
		if err != nil {
			fmt.Fprintf(os.Stderr, "stallclients: connection %d: %v\n", i, err)
			os.Exit(1)
		}
		conns = append(conns, nc)
	}
	fmt.Printf("stallclients: %d connections stalled\n", len(conns))
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	<-sig
	for _, nc := range conns {
		_ = nc.Close()
	}
}

// handshake upgrades to WebSocket, reads the 101 and the open packet, sends
// CONNECT for the main namespace and leaves the socket unread from then on.
func handshake(addr string) (net.Conn, error) {
	nc, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return nil, err
	}
	req := "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: " + addr +
		"\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n" +
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"
	if _, err := nc.Write([]byte(req)); err != nil {
		nc.Close()
		return nil, err
	}
	_ = nc.SetReadDeadline(time.Now().Add(5 * time.Second))
	br := bufio.NewReaderSize(nc, 512)
	resp, err := http.ReadResponse(br, nil)
	if err != nil || resp.StatusCode != http.StatusSwitchingProtocols {
		nc.Close()
		return nil, fmt.Errorf("upgrade refused: %v %v", resp, err)
	}
	// The open packet: one unmasked text frame under 126 bytes.
	hdr := make([]byte, 2)
	if _, err := br.Read(hdr[:1]); err != nil {
		nc.Close()
		return nil, err
	}
	if _, err := br.Read(hdr[1:]); err != nil {
		nc.Close()
		return nil, err
	}
	body := make([]byte, hdr[1]&0x7f)
	for got := 0; got < len(body); {
		m, err := br.Read(body[got:])
		if err != nil {
			nc.Close()
			return nil, err
		}
		got += m
	}
	if !strings.HasPrefix(string(body), "0{") {
		nc.Close()
		return nil, fmt.Errorf("no open packet: %q", body)
	}
	// "40", masked with a zero key (valid: the mask is the client's choice).
	if _, err := nc.Write([]byte{0x81, 0x82, 0, 0, 0, 0, '4', '0'}); err != nil {
		nc.Close()
		return nil, err
	}
	_ = nc.SetReadDeadline(time.Time{})
	return nc, nil
}
