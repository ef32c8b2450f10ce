package engineio

import (
	"compress/flate"
	"unicode/utf8"

	"github.com/gobwas/httphead"
	"github.com/gobwas/ws"
	"github.com/gobwas/ws/wsflate"

	"github.com/sio-fast/sio-fast/httpx"
	"github.com/sio-fast/sio-fast/internal/bufpool"
	"github.com/sio-fast/sio-fast/internal/wsframe"
	"github.com/sio-fast/sio-fast/loop"
)

// WebSocket permessage-deflate (RFC 7692), Node's perMessageDeflate option.
// Only the no-context-takeover mode is negotiated: every message is
// compressed and inflated on its own with pooled, shared flate state, so a
// connection that negotiated it costs nothing more while idle.

// DefaultDeflateThreshold is the default PerMessageDeflate.Threshold, as
// Node's engine.io.
const DefaultDeflateThreshold = 1024

// PerMessageDeflate configures WebSocket compression (Config.PerMessageDeflate).
type PerMessageDeflate struct {
	// Threshold: messages shorter than this many bytes (counting the packet
	// type byte) are sent uncompressed. Zero means DefaultDeflateThreshold;
	// a negative value compresses every message.
	Threshold int
	// Level is the compress/flate level; zero means flate.BestSpeed, which
	// is much cheaper than zlib's default of Node and still compresses
	// JSON well. Use flate.DefaultCompression for Node's ratio.
	Level int
}

func (d *PerMessageDeflate) withDefaults() *PerMessageDeflate {
	if d == nil {
		return nil
	}
	c := *d
	if c.Threshold == 0 {
		c.Threshold = DefaultDeflateThreshold
	}
	if c.Level == 0 {
		c.Level = flate.BestSpeed
	}
	return &c
}

// deflateResponse is the only answer we give: both sides without context
// takeover (a server may always require both, RFC 7692 7.1.1).
const deflateResponse = "permessage-deflate; server_no_context_takeover; client_no_context_takeover"

// deflateWanted is what we accept in an offer: any context-takeover
// request (we never take over context), a 32 KiB server window (all that
// compress/flate writes; smaller ones are declined in negotiateDeflate) and
// any client window (compress/flate inflates any).
var deflateWanted = wsflate.Parameters{
	ServerNoContextTakeover: true,
	ClientNoContextTakeover: true,
	ServerMaxWindowBits:     15,
}

// negotiateDeflate reports whether the upgrade request offers
// permessage-deflate parameters we can honour. Offers are tried in the
// client's order of preference; invalid ones (unknown or repeated
// parameters, bad values) and ones asking for a server window under 15 bits
// are declined, as RFC 7692 5 and 7.1.2.1 require.
func negotiateDeflate(r *httpx.Request) bool {
	ext := wsflate.Extension{Parameters: deflateWanted}
	var scratch [4]httphead.Option
	for i := range r.Headers {
		h := &r.Headers[i]
		if !asciiEqualFold(h.Key, "sec-websocket-extensions") {
			continue
		}
		opts, ok := httphead.ParseOptions(h.Value, scratch[:0])
		if !ok {
			continue
		}
		for _, o := range opts {
			if _, err := ext.Negotiate(o); err != nil {
				continue
			}
			params, accepted := ext.Accepted()
			if !accepted {
				continue
			}
			// wsflate accepts any server window up to ours; we can only
			// honour exactly ours.
			if params.ServerMaxWindowBits.Defined() && params.ServerMaxWindowBits != 15 {
				ext.Reset()
				continue
			}
			return true
		}
	}
	return false
}

// Type-byte prefixes of message frames, compressed together with the data.
var (
	prefixText     = []byte{'4'}
	prefixBinaryV3 = []byte{4}
)

// appendDeflatedWSFrame is appendWSFrame with compression for a connection
// that negotiated permessage-deflate: messages reaching d.Threshold are
// compressed (statelessly, so the bytes suit every such connection).
func appendDeflatedWSFrame(dst []byte, m Message, v3 bool, d *PerMessageDeflate) []byte {
	op, prefix := ws.OpText, prefixText
	if m.Binary {
		op, prefix = ws.OpBinary, nil
		if v3 {
			prefix = prefixBinaryV3
		}
	}
	if d == nil || m.NoCompress || len(prefix)+len(m.Data) < d.Threshold {
		return appendWSFrame(dst, m, v3)
	}
	return wsframe.AppendDeflateFrame(dst, op, d.Level, prefix, m.Data)
}

// onCompressedWSMessage inflates a compressed message into a pooled buffer
// (capped at MaxHTTPBufferSize: a zip bomb closes with 1009), validates text
// and hands the message on. It reports false when the connection failed.
func (w *wsState) onCompressedWSMessage(c *loop.Conn, m wsframe.Message) bool {
	buf := bufpool.Get()
	defer bufpool.Put(buf)
	out, err := wsframe.Inflate(buf.B[:0], m.Payload, w.sock.srv.cfg.MaxHTTPBufferSize)
	buf.B = out
	if err == nil && m.Kind == wsframe.KindText && !utf8.Valid(out) {
		err = wsframe.ErrInvalidUTF8
	}
	if err != nil {
		w.failWS(c, err)
		return false
	}
	w.sock.srv.inflated.Add(1)
	m.Payload, m.Compressed = out, false
	w.onMessage(c, m) // the payload is used (or cloned) before it returns
	return true
}
