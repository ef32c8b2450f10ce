package engineio

import (
	"bytes"
	"compress/flate"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/gobwas/ws"
	"github.com/gobwas/ws/wsflate"

	"github.com/sio-fast/sio-fast/internal/wsframe"
)

const offerDeflate = "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"

func deflateConfig(threshold int) Config {
	cfg := suiteConfig()
	cfg.PingInterval = 5 * time.Second
	cfg.PerMessageDeflate = &PerMessageDeflate{Threshold: threshold}
	return cfg
}

// dialDeflate opens a WebSocket-only session offering permessage-deflate
// and checks that the server accepted it.
func dialDeflate(t *testing.T, base string) *wsClient {
	t.Helper()
	w, resp := dialUpgrade(t, base, eioPath+"?"+wsQuery, offerDeflate, nil)
	if resp.StatusCode != 101 || resp.Header.Get("Sec-WebSocket-Extensions") != deflateResponse {
		t.Fatalf("101 expected with deflate: %d %q", resp.StatusCode, resp.Header.Get("Sec-WebSocket-Extensions"))
	}
	if open := w.readText(t); !strings.HasPrefix(open, "0{") {
		t.Fatalf("open %q", open)
	}
	return w
}

// readFrame returns the next data frame's header and payload, whole.
func (w *wsClient) readFrame(t testing.TB) (ws.Header, []byte) {
	t.Helper()
	_ = w.nc.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		h, err := ws.ReadHeader(w.r)
		if err != nil {
			t.Fatalf("read header: %v", err)
		}
		p := make([]byte, h.Length)
		if _, err := io.ReadFull(w.r, p); err != nil {
			t.Fatal(err)
		}
		if h.OpCode == ws.OpPing || h.OpCode == ws.OpPong {
			continue
		}
		return h, p
	}
}

// readMessage reads a data message, inflating it when RSV1 is set (with
// gobwas/ws/wsflate, an independent decoder).
func (w *wsClient) readMessage(t testing.TB) (msg []byte, compressed bool) {
	t.Helper()
	h, p := w.readFrame(t)
	if h.Rsv&0b100 == 0 {
		return p, false
	}
	out, err := wsflate.DefaultHelper.Decompress(p)
	if err != nil {
		t.Fatalf("inflate: %v", err)
	}
	return out, true
}

// sendCompressed sends one masked frame with RSV1 set, payload deflated by
// gobwas/ws/wsflate the way browsers do.
func (w *wsClient) sendCompressed(t testing.TB, op ws.OpCode, payload []byte) {
	t.Helper()
	comp, err := wsflate.DefaultHelper.Compress(payload)
	if err != nil {
		t.Fatal(err)
	}
	w.sendRawRsv1(t, op, comp)
}

func (w *wsClient) sendRawRsv1(t testing.TB, op ws.OpCode, p []byte) {
	t.Helper()
	f := wsframe.AppendClientFrame(nil, op, true, [4]byte{9, 8, 7, 6}, p)
	f[0] |= 0x40
	if _, err := w.nc.Write(f); err != nil {
		t.Fatal(err)
	}
}

func TestDeflateNegotiation(t *testing.T) {
	tests := []struct {
		name   string
		off    bool // server without PerMessageDeflate
		header string
		accept bool
	}{
		{"not offered", false, "", false},
		{"offered, server off", true, offerDeflate, false},
		{"plain offer", false, "Sec-WebSocket-Extensions: permessage-deflate\r\n", true},
		{"Node ws offer", false, offerDeflate, true},
		{"both no_context_takeover", false, "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; client_no_context_takeover\r\n", true},
		{"client window bits value", false, "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=10\r\n", true},
		{"server window 15", false, "Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=15\r\n", true},
		{"server window 10 declined", false, "Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=10\r\n", false},
		{"second offer taken", false, "Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=9, permessage-deflate\r\n", true},
		{"second header taken", false, "Sec-WebSocket-Extensions: x-webkit-deflate-frame\r\nSec-WebSocket-Extensions: permessage-deflate\r\n", true},
		{"unknown parameter declined", false, "Sec-WebSocket-Extensions: permessage-deflate; foo=1\r\n", false},
		{"duplicate parameter declined", false, "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; server_no_context_takeover\r\n", false},
		{"other extension", false, "Sec-WebSocket-Extensions: x-webkit-deflate-frame\r\n", false},
		{"malformed header", false, "Sec-WebSocket-Extensions: ;;==,\r\n", false},
	}
	_, baseOn := startEcho(t, deflateConfig(0))
	_, baseOff := startEcho(t, suiteConfig())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := baseOn
			if tt.off {
				base = baseOff
			}
			w, resp := dialUpgrade(t, base, eioPath+"?"+wsQuery, tt.header, nil)
			if resp.StatusCode != 101 {
				t.Fatalf("status %d", resp.StatusCode)
			}
			got := resp.Header.Values("Sec-WebSocket-Extensions")
			if tt.accept && (len(got) != 1 || got[0] != deflateResponse) {
				t.Fatalf("extensions %q, want %q", got, deflateResponse)
			}
			if !tt.accept && len(got) != 0 {
				t.Fatalf("extensions %q, want none", got)
			}
			// Without deflate, RSV1 stays a protocol error.
			if !tt.accept {
				w.readText(t)
				w.sendRawRsv1(t, ws.OpText, []byte{0x00})
				if code, _, _ := w.waitClose(2 * time.Second); code != 1002 {
					t.Fatalf("RSV1 without deflate: close %d", code)
				}
			}
		})
	}
}

// Round trip with compressed frames both ways, against gobwas/ws/wsflate.
func TestDeflateRoundTrip(t *testing.T) {
	_, base := startEcho(t, deflateConfig(0))
	w := dialDeflate(t, base)
	big := "4" + strings.Repeat(`{"hello":"world","n":42}`, 200)
	bin := bytes.Repeat([]byte{1, 2, 3, 4, 5, 6, 7, 8}, 1000)
	tests := []struct {
		name       string
		op         ws.OpCode
		payload    []byte
		compressIn bool
		wantComp   bool
	}{
		{"compressed text in, compressed out", ws.OpText, []byte(big), true, true},
		{"plain text in, compressed out", ws.OpText, []byte(big), false, true},
		{"compressed binary", ws.OpBinary, bin, true, true},
		{"compressed small text, echoed plain", ws.OpText, []byte("4small"), true, false},
		{"compressed UTF-8", ws.OpText, []byte("4" + strings.Repeat("€😀", 400)), true, true},
	}
	for _, tt := range tests {
		if tt.compressIn {
			w.sendCompressed(t, tt.op, tt.payload)
		} else {
			w.send(t, tt.op, tt.payload)
		}
		got, comp := w.readMessage(t)
		if !bytes.Equal(got, tt.payload) || comp != tt.wantComp {
			t.Fatalf("%s: compressed=%v, equal=%v (%d bytes)", tt.name, comp, bytes.Equal(got, tt.payload), len(got))
		}
	}
}

// Messages under the threshold (type byte included) go out plain.
func TestDeflateThreshold(t *testing.T) {
	tests := []struct {
		threshold int
		size      int // packet size, type byte included
		wantComp  bool
	}{
		{0, DefaultDeflateThreshold - 1, false},
		{0, DefaultDeflateThreshold, true},
		{100, 99, false},
		{100, 100, true},
		{-1, 20, true},
	}
	for _, tt := range tests {
		_, base := startEcho(t, deflateConfig(tt.threshold))
		w := dialDeflate(t, base)
		msg := "4" + strings.Repeat("a", tt.size-1)
		w.sendText(t, msg)
		got, comp := w.readMessage(t)
		if string(got) != msg || comp != tt.wantComp {
			t.Fatalf("threshold %d size %d: compressed=%v", tt.threshold, tt.size, comp)
		}
	}
}

// Bad compressed input closes with the codes of Node's ws: 1009 for a
// message inflating past maxHttpBufferSize (a zip bomb), 1007 for data
// that is not deflate or not UTF-8 text, 1002 for RSV1 on a control frame.
func TestDeflateBadInput(t *testing.T) {
	var bomb bytes.Buffer
	fw, _ := flate.NewWriter(&bomb, flate.BestCompression)
	_, _ = fw.Write(make([]byte, 4<<20))
	_ = fw.Flush()
	bombP := bytes.TrimSuffix(bomb.Bytes(), []byte{0, 0, 0xff, 0xff})
	invalid, _ := wsflate.DefaultHelper.Compress([]byte("4\xff\xfe"))
	tests := []struct {
		name    string
		op      ws.OpCode
		payload []byte
		code    int
		reason  string
	}{
		{"zip bomb", ws.OpBinary, bombP, 1009, ReasonTransportError + "|Max payload size exceeded"},
		{"not deflate", ws.OpText, []byte{0xff, 0xff, 0xff}, 1007, ReasonTransportError + "|"},
		{"invalid UTF-8 inside", ws.OpText, invalid, 1007, ReasonTransportError + "|"},
		{"RSV1 ping", ws.OpPing, []byte{0x00}, 1002, ReasonTransportError + "|"},
	}
	for _, tt := range tests {
		cfg := deflateConfig(0)
		cfg.MaxHTTPBufferSize = 100_000
		log := newCloseLog()
		_, base := startServer(t, cfg, log.attach)
		w := dialDeflate(t, base)
		w.sendRawRsv1(t, tt.op, tt.payload)
		if code, _, _ := w.waitClose(2 * time.Second); code != tt.code {
			t.Fatalf("%s: close %d, want %d", tt.name, code, tt.code)
		}
		if r := log.next(t, 2*time.Second); !strings.HasPrefix(r, tt.reason) {
			t.Fatalf("%s: reason %q", tt.name, r)
		}
	}
}

// A broadcast is compressed once: every deflate recipient gets the same
// bytes, a recipient without deflate the plain frames.
func TestDeflatePrepared(t *testing.T) {
	socks := make(chan *Socket, 3)
	_, base := startServer(t, deflateConfig(0), func(srv *Server) {
		srv.OnConnection(func(s *Socket) { socks <- s })
	})
	a, b := dialDeflate(t, base), dialDeflate(t, base)
	plain, _ := dialWSOpen(t, base, wsQuery)
	sa, sb, sp := <-socks, <-socks, <-socks
	data := []byte(strings.Repeat(`{"room":"lobby","msg":"hi"}`, 100))
	p := NewPrepared(Message{Data: data}, Message{Data: []byte("short")})
	for _, s := range []*Socket{sa, sb, sp} {
		onHome(s, func() { s.WritePrepared(p, false) })
	}
	ha, pa := a.readFrame(t)
	hb, pb := b.readFrame(t)
	if ha.Rsv != 0b100 || hb.Rsv != 0b100 || !bytes.Equal(pa, pb) {
		t.Fatalf("deflate recipients: rsv %b %b, same bytes %v", ha.Rsv, hb.Rsv, bytes.Equal(pa, pb))
	}
	for _, w := range []*wsClient{a, b} {
		if h, s := w.readFrame(t); h.Rsv != 0 || string(s) != "4short" {
			t.Fatalf("short message: rsv %b %q", h.Rsv, s)
		}
	}
	if h, s := plain.readFrame(t); h.Rsv != 0 || string(s) != "4"+string(data) {
		t.Fatalf("plain recipient: rsv %b, %d bytes", h.Rsv, len(s))
	}
	// Built once: the same backing array every time.
	d := sa.srv.cfg.PerMessageDeflate
	if f1, f2 := p.wsFrames(false, d), p.wsFrames(false, d); &f1[0] != &f2[0] {
		t.Fatal("compressed frames rebuilt")
	}
	if f1, f2 := p.wsFrames(true, d), p.wsFrames(true, d); &f1[0] != &f2[0] {
		t.Fatal("compressed v3 frames rebuilt")
	}
}

// The upgrade probe negotiates too: after "5", the session's messages are
// compressed.
func TestDeflateUpgrade(t *testing.T) {
	_, base := startEcho(t, deflateConfig(0))
	sid := handshakePolling(t, base, eioPath)
	w, resp := dialUpgrade(t, base, eioPath+"?EIO=4&transport=websocket&sid="+sid, offerDeflate, nil)
	if resp.StatusCode != 101 || resp.Header.Get("Sec-WebSocket-Extensions") != deflateResponse {
		t.Fatalf("probe 101: %d %q", resp.StatusCode, resp.Header.Get("Sec-WebSocket-Extensions"))
	}
	w.sendCompressed(t, ws.OpText, []byte("2probe"))
	if got := w.readText(t); got != "3probe" {
		t.Fatalf("probe answer %q", got)
	}
	w.sendText(t, "5")
	big := "4" + strings.Repeat("upgrade ", 500)
	w.sendCompressed(t, ws.OpText, []byte(big))
	if got, comp := w.readMessage(t); string(got) != big || !comp {
		t.Fatalf("after upgrade: compressed=%v %d bytes", comp, len(got))
	}
}

// Message.NoCompress (Node's compress: false) sends a message over the
// threshold uncompressed, on its own and inside a Prepared, while the
// message next to it is still compressed.
func TestDeflateNoCompress(t *testing.T) {
	socks := make(chan *Socket, 1)
	_, base := startServer(t, deflateConfig(0), func(srv *Server) {
		srv.OnConnection(func(s *Socket) { socks <- s })
	})
	w := dialDeflate(t, base)
	s := <-socks
	big := []byte(strings.Repeat("compressible ", 200))
	s.Send(Message{Data: big, NoCompress: true}, Message{Data: big})
	p := NewPrepared(Message{Data: big, NoCompress: true}, Message{Data: big})
	onHome(s, func() { s.WritePrepared(p, false) })
	for i, wantRsv := range []byte{0, 0b100, 0, 0b100} {
		h, _ := w.readFrame(t)
		if h.Rsv != wantRsv {
			t.Fatalf("frame %d: rsv %b, want %b", i, h.Rsv, wantRsv)
		}
	}
}

// Messages queued while the session polls keep their NoCompress mark when
// the upgrade flushes them over a WebSocket that negotiated
// permessage-deflate.
func TestDeflateNoCompressQueuedAcrossUpgrade(t *testing.T) {
	socks := make(chan *Socket, 1)
	_, base := startServer(t, deflateConfig(0), func(srv *Server) {
		srv.OnConnection(func(s *Socket) { socks <- s })
	})
	sid := handshakePolling(t, base, eioPath)
	s := <-socks
	big := []byte(strings.Repeat("compressible ", 200))
	onHome(s, func() { s.sendMessages([]Message{{Data: big, NoCompress: true}, {Data: big}}) })
	w, resp := dialUpgrade(t, base, eioPath+"?EIO=4&transport=websocket&sid="+sid, offerDeflate, nil)
	if resp.StatusCode != 101 {
		t.Fatalf("probe: %d", resp.StatusCode)
	}
	w.sendText(t, "2probe")
	if got := w.readText(t); got != "3probe" {
		t.Fatalf("probe answer %q", got)
	}
	w.sendText(t, "5")
	for i, wantRsv := range []byte{0, 0b100} {
		h, _ := w.readFrame(t)
		if h.Rsv != wantRsv {
			t.Fatalf("frame %d: rsv %b, want %b", i, h.Rsv, wantRsv)
		}
	}
}
