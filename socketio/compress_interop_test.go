package socketio_test

import (
	"bufio"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"io"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/gobwas/ws"

	"github.com/sio-fast/sio-fast/engineio"
	"github.com/sio-fast/sio-fast/internal/looptest"
	"github.com/sio-fast/sio-fast/internal/scripttest"
	"github.com/sio-fast/sio-fast/socketio"
)

// wireFrame is a server frame seen by frameProxy.
type wireFrame struct {
	compressed bool // RSV1: permessage-deflate
	length     int64
}

// frameProxy forwards TCP connections to target and records the WebSocket
// frames the server sends after its 101.
type frameProxy struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	frames []wireFrame
}

func startFrameProxy(t *testing.T, target string) *frameProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &frameProxy{ln: ln, target: target}
	t.Cleanup(func() { _ = ln.Close() })
	go p.accept()
	return p
}

func (p *frameProxy) accept() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		s, err := net.Dial("tcp", p.target)
		if err != nil {
			_ = c.Close()
			continue
		}
		go func() { _, _ = io.Copy(s, c); _ = s.Close() }()
		go p.watch(s, c)
	}
}

// watch copies the server's bytes to the client and parses them on the way.
func (p *frameProxy) watch(s, c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(io.TeeReader(s, c))
	resp, err := http.ReadResponse(r, nil)
	if err != nil || resp.StatusCode != http.StatusSwitchingProtocols {
		_, _ = io.Copy(io.Discard, r)
		return
	}
	for {
		h, err := ws.ReadHeader(r)
		if err != nil {
			return
		}
		if _, err := io.CopyN(io.Discard, r, h.Length); err != nil {
			return
		}
		r1, _, _ := ws.RsvBits(h.Rsv)
		p.mu.Lock()
		p.frames = append(p.frames, wireFrame{compressed: r1, length: h.Length})
		p.mu.Unlock()
	}
}

func (p *frameProxy) seen() []wireFrame {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]wireFrame(nil), p.frames...)
}

// compress(false) end to end: socket.io-client 4.8 in Node negotiates
// permessage-deflate; of four 4 KiB events, the two emitted with
// Compress(true) (the default; one to the socket, one broadcast) leave
// compressed (RSV1) and the two with Compress(false) leave as plain frames
// of their exact encoded size, and the client gets all four intact.
func TestInteropCompressFlag(t *testing.T) {
	scripttest.NeedNode(t, "interop")
	raw := make([]byte, 3072)
	_, _ = rand.Read(raw)
	payload := base64.StdEncoding.EncodeToString(raw) // 4 KiB, deflates to about 3 KiB
	sum := sha1.Sum([]byte(payload))
	hash := hex.EncodeToString(sum[:])
	sio := socketio.NewServer(socketio.Config{})
	t.Cleanup(func() { _ = sio.Close() })
	sio.OnConnection(func(s *socketio.Socket) {
		s.On("send-all", func(s *socketio.Socket, _ socketio.Args, _ socketio.AckFunc) {
			_ = s.Emit("deflated", payload, hash)
			_ = s.Compress(false).Emit("plain", payload, hash)
			_ = sio.To(s.ID()).Emit("bcast-deflated", payload, hash)
			_ = sio.To(s.ID()).Compress(false).Emit("bcast-plain", payload, hash)
		})
	})
	ls := looptest.Serve(t, sio.NewEngine(engineio.Config{PerMessageDeflate: &engineio.PerMessageDeflate{}}))
	proxy := startFrameProxy(t, ls.Addr().String())
	scripttest.RunCases(t, 30*time.Second, []string{"compress-flag-websocket"}, ".", "node", "interop/compress.js", "http://"+proxy.ln.Addr().String())

	plainLen := map[int64]string{
		int64(len(`42["plain","` + payload + `","` + hash + `"]`)):       "plain",
		int64(len(`42["bcast-plain","` + payload + `","` + hash + `"]`)): "bcast-plain",
	}
	var compressed, plain int
	for _, f := range proxy.seen() {
		switch {
		case f.length < 1024:
			// open, CONNECT, pings: under the threshold
		case f.compressed:
			compressed++
		case plainLen[f.length] != "":
			plain++
			delete(plainLen, f.length)
		default:
			t.Errorf("an uncompressed %d-byte frame that should have been compressed", f.length)
		}
	}
	if compressed != 2 || plain != 2 {
		t.Fatalf("%d compressed and %d plain large frames, want 2 and 2 (%v)", compressed, plain, proxy.seen())
	}
}
