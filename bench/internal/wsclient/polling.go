package wsclient

import (
	"bytes"
	"fmt"
	"net/netip"
	"net/url"
	"strconv"

	"golang.org/x/sys/unix"
)

// The polling-upgrade leg of a connection (TransportPollingUpgrade):
//
//	A: GET ?EIO=4&transport=polling           → 200, body 0{"sid":"S",...}
//	B: GET ?EIO=4&transport=websocket&sid=S   → 101
//	B: 2probe → 3probe, then 5 and 40 as in the WebSocket mode.
//
// Connection A is closed once the open packet is in: the upgrade needs no
// pending GET (the server answers a pending one with a noop, which nobody
// would read), and one socket per client keeps the fd budget of the
// WebSocket mode. The Conn stays the same object across both legs, so the
// load generator's handle and Started (handshake latency) survive the move.

var (
	status200 = []byte("HTTP/1.1 200")
	sidKey    = []byte(`"sid":"`)
	crlf      = []byte("\r\n")
)

// appendPoll appends the polling handshake request.
func appendPoll(dst []byte, server netip.AddrPort) []byte {
	return fmt.Appendf(dst, "GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\n"+
		"Host: %s\r\nConnection: keep-alive\r\n\r\n", server)
}

// hello sends the first request on a freshly connected socket: the
// WebSocket upgrade, the polling handshake, or (second leg) the upgrade
// carrying the session id.
func (w *worker) hello(c *Conn) error {
	switch {
	case c.poster != nil:
		c.state = stPost
		w.e.posts.ready(c)
		return nil
	case c.sid != "":
		c.state = stHTTP
		w.out = append(w.out[:0], wsTarget...)
		w.out = append(w.out, "&sid="...)
		w.out = append(w.out, url.QueryEscape(c.sid)...)
		w.out = append(w.out, w.e.upgradeHeaders...)
		c.sid = ""
		return c.Send(w.out)
	case w.e.cfg.Transport != TransportWebSocket:
		c.state = stPolling
		return c.Send(w.e.poll)
	}
	c.state = stHTTP
	if c.tls != nil {
		c.tls.handshake(w.e.request) // the request follows the handshake
		return nil
	}
	return c.Send(w.e.request)
}

// polled reads the polling handshake response at the head of buf. Once it
// is complete it takes the sid and moves c to its WebSocket connection
// (TransportPollingUpgrade), or starts polling on this one
// (TransportPolling); bytes after the body are dropped with the polling
// connection.
func (w *worker) polled(c *Conn, buf []byte) (int, error) {
	n, body, err := response(buf, ErrPolling)
	if n == 0 || err != nil {
		return 0, err
	}
	sid, ok := openSID(body)
	if !ok {
		return 0, ErrProtocol
	}
	c.sid = sid
	if c.poll != nil {
		return n, w.startPolling(c)
	}
	return len(buf), w.redial(c)
}

// response reads the 200 response at the head of buf: it returns its length
// and body, or 0 while it is incomplete. Another status is refused (with
// refused); sio-fast and Node frame polling bodies with Content-Length, so a
// chunked or unframed body is refused rather than guessed at.
func response(buf []byte, refused error) (int, []byte, error) {
	i, err := headerLen(buf)
	if i < 0 || err != nil {
		return 0, nil, err
	}
	if !bytes.HasPrefix(buf, status200) {
		return 0, nil, refused
	}
	n, ok := contentLength(buf[:i])
	if !ok || n > maxBody {
		return 0, nil, ErrPollingBody
	}
	body := i + len(headerEnd)
	if len(buf) < body+n {
		return 0, nil, nil
	}
	return body + n, buf[body : body+n], nil
}

// maxBody bounds a polling response body: the bench app's packets are
// small, and a GET carries what queued since the last one.
const maxBody = 1 << 20

// contentLength finds the Content-Length header in an HTTP response head.
func contentLength(head []byte) (int, bool) {
	for line := range bytes.SplitSeq(head, crlf) {
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok || !bytes.EqualFold(bytes.TrimSpace(name), []byte("Content-Length")) {
			continue
		}
		n, err := strconv.Atoi(string(bytes.TrimSpace(value)))
		if err != nil || n < 0 {
			return 0, false
		}
		return n, true
	}
	return 0, false
}

// openSID extracts the session id from a polling body holding the open
// packet `0{"sid":"...",...}` (alone: nothing is queued before the open).
func openSID(body []byte) (string, bool) {
	if len(body) == 0 || body[0] != '0' {
		return "", false
	}
	i := bytes.Index(body, sidKey)
	if i < 0 {
		return "", false
	}
	sid := body[i+len(sidKey):]
	j := bytes.IndexByte(sid, '"')
	if j <= 0 {
		return "", false
	}
	return string(sid[:j]), true
}

// redial closes the polling connection and starts the WebSocket one from
// the same source address, on the same worker. Worker only. On error the
// caller closes c, which then owns whichever fd c.fd names.
func (w *worker) redial(c *Conn) error {
	fd, err := w.e.socket(c.src)
	if err != nil {
		return err
	}
	// Swap under mu: Send must never see the old fd once it is closed,
	// since the kernel may hand the number out again.
	c.mu.Lock()
	old := c.fd
	w.e.table[old].Store(nil)
	unix.Close(old)
	c.fd, c.wbuf = fd, nil
	c.mu.Unlock()
	c.state = stConnecting
	return w.e.start(c, fd)
}

// probe starts the upgrade on the fresh WebSocket: the server sends no open
// packet here (the session exists), it waits for `2probe`.
func (w *worker) probe(c *Conn) error {
	c.state = stProbe
	return w.sendText(c, "2probe")
}

// probed checks the probe answer, then completes the upgrade with `5` and
// connects the namespace with `40` in the same write. Until `5` the server
// still routes packets to polling, so anything but `3probe` is an error.
func (w *worker) probed(c *Conn, p []byte) error {
	if string(p) != "3probe" {
		return ErrProbe
	}
	c.state = stConnect
	w.out = AppendText(w.out[:0], []byte("5"))
	w.out = AppendText(w.out, []byte("40"))
	return c.Send(w.out)
}
