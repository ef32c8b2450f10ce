package loop

import (
	"crypto/tls"
	"errors"
	"slices"
	"time"
)

// TLS on the reactor, in two phases per connection:
//
//   - The handshake is crypto/tls's, on a goroutine of its own
//     (tls.Conn.Handshake blocks, and an ECDHE plus a signature must not
//     stall a loop). The loop hands it the bytes the peer sends and writes
//     the bytes it produces; the handler sees nothing yet. The goroutine
//     ends with the handshake, so an established connection costs none.
//   - Then the records are sealed and opened on the loop: by the loop's own
//     TLS 1.3 record layer for AES-GCM (tls_records.go, secrets from
//     tls_keys.go), else by crypto/tls's, whose tls.Conn.Read reads from
//     bytes the loop lends for one call: an empty lend answers with a
//     temporary net.Error, which crypto/tls keeps as a retryable condition
//     (partial records stay in its input buffer) instead of a sticky
//     failure. Sealed records are collected in a buffer the loop lends for
//     one flush and leave in one write.
//
// The kernel's TLS (kTLS) was considered: crypto/tls does not export the
// traffic keys and sequence numbers except through the key log, and many
// kernels (this project's machines among them) do not offer the "tls" ULP.

// Defaults of the TLS layer.
const (
	defaultTLSHandshakeTimeout = 10 * time.Second
	// maxHandshakeBuffered bounds the bytes a peer may send during the
	// handshake that the handshake has not read yet (a ClientHello is at
	// most 64 KiB; anything past it is a flood).
	maxHandshakeBuffered = 128 << 10
	// tlsReadChunk is the room made for each tls.Conn.Read: one record's
	// plaintext.
	tlsReadChunk = 16 << 10
	// tlsKeepBuf is the largest loop buffer kept for the next connection:
	// a burst's larger buffer is left to the GC.
	tlsKeepBuf = 256 << 10
)

var (
	// ErrTLSHandshakeTimeout closes a TLS connection whose handshake did not
	// finish within the handshake timeout (WithTLSHandshakeTimeout).
	ErrTLSHandshakeTimeout = errors.New("loop: tls: handshake timed out")
	// errTLSHandshakeFlood closes a connection that sent more during the
	// handshake than a handshake can need.
	errTLSHandshakeFlood = errors.New("loop: tls: too many bytes before the handshake finished")
)

// tlsOptions are the TLS settings of a server.
type tlsOptions struct {
	cfg     *tls.Config // the clone served; nil without TLS
	timeout time.Duration
}

// WithTLS makes Serve speak TLS on every accepted connection, with cfg as
// the server configuration (it needs a certificate: Certificates,
// GetCertificate or GetConfigForClient). The handshake runs off the loop;
// Handler.OnOpen is called once it has finished, and OnData then receives
// plaintext. ALPN offers only "http/1.1", the protocol the reactor speaks;
// a cfg that lists "h2" is refused by Serve rather than served wrongly.
// cfg is cloned: later changes to it have no effect.
func WithTLS(cfg *tls.Config) Option { return func(o *options) { o.tls.cfg = cfg } }

// WithTLSHandshakeTimeout bounds a TLS handshake, from accept to the
// client's Finished (default 10 s); a connection still handshaking then is
// closed.
func WithTLSHandshakeTimeout(d time.Duration) Option {
	return func(o *options) { o.tls.timeout = d }
}

// prepare checks the configuration given to WithTLS and makes the clone
// the server uses, its key log hooked in.
func (o *tlsOptions) prepare() error {
	cfg := o.cfg
	if cfg == nil {
		return nil
	}
	if len(cfg.Certificates) == 0 && cfg.GetCertificate == nil && cfg.GetConfigForClient == nil {
		return errors.New("loop: WithTLS: the config has no certificate")
	}
	for _, p := range cfg.NextProtos {
		if p != "http/1.1" {
			return errors.New("loop: WithTLS: NextProtos offers " + p + ": the reactor speaks HTTP/1.1 only")
		}
	}
	c := cfg.Clone()
	c.NextProtos = []string{"http/1.1"}
	hookKeyLog(c)
	if o.timeout <= 0 {
		o.timeout = defaultTLSHandshakeTimeout
	}
	o.cfg = c
	return nil
}

// tlsBufs are a loop's buffers for its TLS connections, lent to one call at
// a time: sealed records on their way out, received bytes joined with a
// partial record, plaintext joined for crypto/tls's record layer.
// Borrowing takes a buffer away from the loop, so a re-entrant use (a write
// error closing a connection that writes to another) gets its own.
type tlsBufs struct {
	out   []byte
	in    []byte
	plain []byte
}

// lend takes *slot (or a new buffer) for one call. Loop goroutine only.
func lend(slot *[]byte) []byte {
	b := *slot
	*slot = nil
	return b[:0]
}

// giveBack returns b to *slot, keeping the larger of the two unless b is
// over tlsKeepBuf. Loop goroutine only.
func giveBack(slot *[]byte, b []byte) {
	if cap(b) > tlsKeepBuf || cap(b) <= cap(*slot) {
		return
	}
	*slot = b[:0]
}

// concat copies bs into one buffer lent by the loop, so that a turn's
// frames are sealed as few records instead of one record each.
func (l *Loop) concat(bs [][]byte) []byte {
	n := 0
	for _, b := range bs {
		n += len(b)
	}
	buf := slices.Grow(lend(&l.tls.plain), n)
	for _, b := range bs {
		buf = append(buf, b...)
	}
	return buf
}
