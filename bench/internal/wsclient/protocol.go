package wsclient

import (
	"bytes"
	"time"

	"github.com/sio-fast/sio-fast/internal/wsframe"
)

const maxHeader = 8 << 10

// wsTarget starts every WebSocket upgrade request (a sid may follow).
const wsTarget = "GET /socket.io/?EIO=4&transport=websocket"

var (
	headerEnd = []byte("\r\n\r\n")
	status101 = []byte("HTTP/1.1 101")
)

// headerLen returns where the HTTP response head at the start of buf ends
// (before its blank line), or -1 while it is incomplete; a head longer
// than maxHeader is an error.
func headerLen(buf []byte) (int, error) {
	i := bytes.Index(buf, headerEnd)
	if i < 0 && len(buf) > maxHeader {
		return -1, ErrHeaderSize
	}
	return i, nil
}

// consume processes complete units in buf (the HTTP response, then frames)
// and returns how many bytes were used. Worker only.
func (w *worker) consume(c *Conn, buf []byte, now time.Time) (int, error) {
	used := 0
	switch {
	case c.poster != nil:
		return w.postResponse(c, buf)
	case c.poll != nil:
		return w.pollResponses(c, buf, now)
	case c.state == stPolling:
		return w.polled(c, buf)
	}
	if c.state == stHTTP {
		i, err := headerLen(buf)
		if i < 0 || err != nil {
			return 0, err
		}
		if !bytes.HasPrefix(buf, status101) {
			return 0, ErrUpgrade
		}
		used = i + len(headerEnd)
		c.state = stOpen
		if w.e.cfg.Transport == TransportPollingUpgrade {
			if err := w.probe(c); err != nil {
				return used, err
			}
		}
	}
	for used < len(buf) {
		m, n, err := c.rd.Next(buf[used:])
		if err != nil {
			return used, err
		}
		if n == 0 {
			break
		}
		used += n
		if err := w.message(c, m, now); err != nil {
			return used, err
		}
	}
	return used, nil
}

// message handles one WebSocket message: Engine.IO framing and the
// Socket.IO connect handshake; other Socket.IO packets go to the Handler.
func (w *worker) message(c *Conn, m wsframe.Message, now time.Time) error {
	switch m.Kind {
	case wsframe.KindNone, wsframe.KindPong:
		return nil
	case wsframe.KindPing:
		return c.Send(wsframe.AppendClientFrame(w.out[:0], 0xA, true, mask, m.Payload))
	case wsframe.KindClose:
		return ErrPeerClosed
	case wsframe.KindBinary:
		return ErrProtocol
	}
	if c.state == stProbe {
		return w.probed(c, m.Payload)
	}
	return w.packet(c, m.Payload, now)
}

// packet handles one Engine.IO packet of either transport: the open packet,
// pings, the Socket.IO connect answer; other Socket.IO packets go to the
// Handler.
func (w *worker) packet(c *Conn, p []byte, now time.Time) error {
	if len(p) == 0 {
		return ErrProtocol
	}
	switch p[0] {
	case '0': // Engine.IO open
		if c.state != stOpen {
			return ErrProtocol
		}
		c.state = stConnect
		return w.sendText(c, "40")
	case '2': // Engine.IO ping
		if c.poll != nil {
			return c.Post([]byte("3"))
		}
		return w.sendText(c, "3")
	case '1':
		return ErrPeerClosed
	case '6':
		return nil
	case '4':
	default:
		return ErrProtocol
	}
	p = p[1:]
	if c.state == stConnect {
		if len(p) == 0 || p[0] != '0' {
			return ErrProtocol // 44: connect error
		}
		c.state = stReady
		w.e.cfg.Handler.OnReady(c, now)
		return nil
	}
	if c.state != stReady {
		return ErrProtocol
	}
	w.e.cfg.Handler.OnPacket(c, p, now)
	return nil
}

func (w *worker) sendText(c *Conn, s string) error {
	w.out = AppendText(w.out[:0], []byte(s))
	return c.Send(w.out)
}
