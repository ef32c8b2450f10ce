package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// upgradeFromPolling opens session i as socket.io-client does by default:
// a polling handshake (and, with -sio, the CONNECT and its answer) on a
// connection of its own, then a WebSocket with the session's id, the
// "2probe"/"3probe" exchange and "5". The polling connection is closed;
// the WebSocket is returned, idle.
func upgradeFromPolling(addr string, i int) (net.Conn, error) {
	pollPath := strings.Replace(reqPath, "transport=websocket", "transport=polling", 1)
	pc, err := dialFrom(addr, i)
	if err != nil {
		return nil, err
	}
	defer pc.Close()
	_ = pc.SetDeadline(time.Now().Add(10 * time.Second))
	pr := bufio.NewReader(pc)
	body, err := httpRoundTrip(pc, pr, "GET "+pollPath, "")
	if err != nil {
		return nil, err
	}
	sid, ok := sessionID(body)
	if !ok {
		return nil, fmt.Errorf("no sid in the handshake %q", body)
	}
	pollPath += "&sid=" + sid
	if sendSIO {
		if _, err := httpRoundTrip(pc, pr, "POST "+pollPath, "40"); err != nil {
			return nil, err
		}
		if _, err := httpRoundTrip(pc, pr, "GET "+pollPath, ""); err != nil { // the CONNECT answer
			return nil, err
		}
	}
	c, err := dialFrom(addr, i)
	if err != nil {
		return nil, err
	}
	if err := probeAndUpgrade(c, reqPath+"&sid="+sid); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// httpRoundTrip sends one HTTP/1.1 request (keep-alive) and returns the
// body of its 200 answer.
func httpRoundTrip(c net.Conn, r *bufio.Reader, reqLine, body string) (string, error) {
	req := reqLine + " HTTP/1.1\r\nHost: x\r\n"
	if body != "" {
		req += "Content-Type: text/plain;charset=UTF-8\r\nContent-Length: " + strconv.Itoa(len(body)) + "\r\n"
	}
	if _, err := io.WriteString(c, req+"\r\n"+body); err != nil {
		return "", err
	}
	resp, err := http.ReadResponse(r, nil)
	if err != nil {
		return "", err
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("%s: %d %q", reqLine, resp.StatusCode, b)
	}
	return string(b), err
}

// sessionID finds the sid in an Engine.IO open packet.
func sessionID(open string) (string, bool) {
	const key = `"sid":"`
	i := strings.Index(open, key)
	if i < 0 {
		return "", false
	}
	rest := open[i+len(key):]
	end := strings.IndexByte(rest, '"')
	return rest[:end], end > 0
}

// probeAndUpgrade opens the WebSocket on c, probes and upgrades.
func probeAndUpgrade(c net.Conn, path string) error {
	if err := openWS(c, path); err != nil {
		return err
	}
	if _, err := c.Write(maskedText("2probe")); err != nil {
		return err
	}
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	want := []byte{0x81, 6, '3', 'p', 'r', 'o', 'b', 'e'}
	got := make([]byte, len(want))
	if _, err := io.ReadFull(c, got); err != nil || !bytes.Equal(got, want) {
		return fmt.Errorf("probe answer %q: %v", got, err)
	}
	_ = c.SetReadDeadline(time.Time{})
	_, err := c.Write(maskedText("5"))
	return err
}

// maskedText is a client text frame of s (under 126 bytes), masked with
// the key 1, 2, 3, 4 as sioConnect.
func maskedText(s string) []byte {
	f := []byte{0x81, 0x80 | byte(len(s)), 1, 2, 3, 4}
	for i := 0; i < len(s); i++ {
		f = append(f, s[i]^byte(i%4+1))
	}
	return f
}
