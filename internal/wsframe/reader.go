package wsframe

import (
	"math"
	"unicode/utf8"

	"github.com/gobwas/ws"

	"github.com/sio-fast/sio-fast/internal/bufpool"
)

// DefaultMaxMessage is the default Limits.MaxMessage, equal to the
// maxHttpBufferSize default of Node's engine.io (1e6 bytes).
const DefaultMaxMessage = 1_000_000

// Limits bounds what a peer may make a Reader hold.
type Limits struct {
	// MaxMessage is the largest data message, in payload bytes, counting all
	// fragments of a fragmented message. It is checked on every frame header
	// against the total so far, before waiting for the payload; a message
	// over it fails with ErrTooBig (close 1009). Zero or negative means
	// DefaultMaxMessage.
	MaxMessage int64
}

func (l Limits) maxMessage() int64 {
	if l.MaxMessage <= 0 {
		return DefaultMaxMessage
	}
	return l.MaxMessage
}

// Kind is the type of a decoded Message.
type Kind uint8

// Message kinds.
const (
	// KindNone means a frame was consumed but no message is complete yet
	// (a fragment was absorbed into the reassembly buffer).
	KindNone Kind = iota
	// KindText is a complete text message; Payload is valid UTF-8.
	KindText
	// KindBinary is a complete binary message.
	KindBinary
	// KindPing is a ping; answer with AppendPong(dst, m.Payload).
	KindPing
	// KindPong is a pong (a heartbeat reply or an unsolicited one).
	KindPong
	// KindClose is a close frame; echo it with AppendClose and close.
	KindClose
)

var kindNames = [...]string{"none", "text", "binary", "ping", "pong", "close"}

// String returns the kind's name.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "invalid"
}

// Message is one decoded WebSocket message or control frame.
//
// Payload and CloseReason are borrowed: they alias the caller's buffer (or
// the Reader's reassembly buffer for a fragmented message) and are valid only
// until the next call to Next or Release and until the caller discards the
// consumed bytes. Anything kept longer must be copied.
type Message struct {
	Kind Kind
	// Payload is the unmasked payload of text, binary, ping and pong.
	// Text payloads are valid UTF-8.
	Payload []byte
	// CloseCode is the status of a KindClose; 1005 (ws.StatusNoStatusRcvd)
	// when the close frame had no body.
	CloseCode ws.StatusCode
	// CloseReason is the UTF-8 reason of a KindClose, possibly empty.
	CloseReason []byte
	// Compressed reports a text or binary message sent with the
	// permessage-deflate bit (RSV1), possible only with Reader.Deflate.
	// Payload is then the raw deflate data, not yet validated as UTF-8:
	// inflate it with Inflate and validate text afterwards.
	Compressed bool
}

// Reader decodes the frames of one connection incrementally. The zero value
// is ready to use as a server-side reader with default Limits. It must be
// used from the connection's own goroutine only.
type Reader struct {
	// Limits bounds message sizes; set it before the first Next.
	Limits Limits
	// ClientSide makes the Reader decode server-to-client traffic: frames
	// must be unmasked instead of masked. For clients and load generators.
	ClientSide bool
	// Deflate means permessage-deflate (RFC 7692) was negotiated: RSV1 is
	// accepted on the first frame of a data message and marks it
	// Compressed. RSV1 on a control frame or a continuation, and RSV2/RSV3
	// anywhere, stay protocol errors. Set it before the first Next.
	Deflate bool

	// The state below fits the word after Limits with the two flags above:
	// a server holds one Reader per idle WebSocket (24 bytes in all).
	state    readerState
	fragKind Kind // KindText or KindBinary of the fragmented message
	// frag.B[:validated] is known-valid UTF-8 (0 past 4 GiB: validated
	// again from the start, still correct).
	validated uint32
	frag      *bufpool.Buffer // reassembly buffer, nil when idle
}

// readerState are a Reader's flags.
type readerState uint8

const (
	inFrag   readerState = 1 << iota // inside a fragmented data message
	fragComp                         // the fragmented message is compressed
	held                             // frag backs the Payload last returned
)

// Next decodes at most one frame from buf, which must hold all unconsumed
// bytes of the connection starting at a frame boundary. It unmasks the frame
// in place, so buf must be writable and owned by the caller until it
// discards the consumed bytes.
//
//   - consumed == 0, err == nil: buf holds no complete frame; call again when
//     more bytes have arrived (buf is untouched).
//   - consumed > 0: discard that many bytes. m.Kind is KindNone when the
//     frame was a fragment absorbed into a message not yet complete.
//   - err != nil: a *CloseError; fail the connection with its Code. The
//     Reader must not be used again except for Release.
//
// Control frames may arrive between the fragments of a message. Text
// messages are validated as UTF-8; a fragmented text message fails as soon
// as a fragment makes it invalid.
func (r *Reader) Next(buf []byte) (m Message, consumed int, err error) {
	if r.state&held != 0 {
		r.releaseFrag()
	}
	h, n, err := ParseHeader(buf)
	if err != nil {
		if err == ErrShort {
			return m, 0, nil
		}
		return m, 0, err
	}
	var compressed bool
	if h, compressed, err = r.checkRsv(h); err != nil {
		return m, 0, err
	}
	if err = r.checkHeader(h); err != nil {
		return m, 0, err
	}
	if h.Length > int64(len(buf)-n) {
		return m, 0, nil
	}
	end := n + int(h.Length)
	p := buf[n:end]
	if h.Masked {
		ws.Cipher(p, h.Mask, 0)
	}
	if m, err = r.dispatch(h, p, compressed); err != nil {
		return Message{}, 0, err
	}
	return m, end, nil
}

// Release returns the reassembly buffer, if any, to the pool and resets the
// Reader. Call it when the connection closes. A Message returned earlier
// must not be used afterwards.
func (r *Reader) Release() {
	r.releaseFrag()
	r.state &^= inFrag | fragComp
}

func (r *Reader) releaseFrag() {
	bufpool.Put(r.frag)
	r.frag = nil
	r.state &^= held
	r.validated = 0
}

// rsv1 is the RSV1 bit in ws.Header.Rsv (bit 2 of the three RSV bits).
const rsv1 = 0b100

// checkRsv strips the permessage-deflate bit from a header that may carry it
// (Deflate set, first frame of a data message) and reports it; any other RSV
// bit is left for checkHeader to reject.
func (r *Reader) checkRsv(h ws.Header) (ws.Header, bool, error) {
	if !r.Deflate || h.Rsv&rsv1 == 0 {
		return h, false, nil
	}
	if h.OpCode != ws.OpText && h.OpCode != ws.OpBinary {
		return h, false, ErrRsv
	}
	h.Rsv &^= rsv1
	return h, true, nil
}

// checkHeader applies the RFC checks and the size limit as soon as the
// header is known, so a bad or oversized frame fails before its payload
// has arrived.
func (r *Reader) checkHeader(h ws.Header) error {
	state := ws.StateServerSide
	if r.ClientSide {
		state = ws.StateClientSide
	}
	if r.state&inFrag != 0 {
		state |= ws.StateFragmented
	}
	if err := ws.CheckHeader(h, state); err != nil {
		return fromProtocolError(err)
	}
	if h.OpCode.IsControl() {
		return nil
	}
	var sofar int64
	if r.state&inFrag != 0 {
		sofar = int64(len(r.frag.B))
	}
	if h.Length > r.Limits.maxMessage()-sofar {
		return ErrTooBig
	}
	return nil
}

// dispatch interprets the complete, unmasked frame payload p.
// A compressed message is passed on without UTF-8 validation: its text
// exists only once inflated.
func (r *Reader) dispatch(h ws.Header, p []byte, compressed bool) (Message, error) {
	switch h.OpCode {
	case ws.OpPing:
		return Message{Kind: KindPing, Payload: p}, nil
	case ws.OpPong:
		return Message{Kind: KindPong, Payload: p}, nil
	case ws.OpClose:
		return parseClose(p)
	case ws.OpContinuation:
		return r.continueFrag(h.Fin, p)
	}
	kind := KindBinary
	if h.OpCode == ws.OpText {
		kind = KindText
	}
	if !h.Fin {
		r.state |= inFrag
		if compressed {
			r.state |= fragComp
		}
		r.fragKind = kind
		r.frag = bufpool.Get()
		return r.continueFrag(false, p)
	}
	if kind == KindText && !compressed && !utf8.Valid(p) {
		return Message{}, ErrInvalidUTF8
	}
	return Message{Kind: kind, Payload: p, Compressed: compressed}, nil
}

// continueFrag appends a fragment and completes the message on FIN. The
// buffer grows only by bytes that actually arrived.
func (r *Reader) continueFrag(fin bool, p []byte) (Message, error) {
	r.frag.B = append(r.frag.B, p...)
	comp := r.state&fragComp != 0
	if r.fragKind == KindText && !comp && !r.validateText(fin) {
		return Message{}, ErrInvalidUTF8
	}
	if !fin {
		return Message{}, nil
	}
	r.state = r.state&^(inFrag|fragComp) | held // keep frag until the next call: Payload aliases it
	return Message{Kind: r.fragKind, Payload: r.frag.B, Compressed: comp}, nil
}

// validateText checks the reassembled text incrementally so that an invalid
// message fails on the fragment that breaks it (fail fast) while every byte
// is validated once. Before FIN, a trailing incomplete rune is left for the
// next fragment to complete.
func (r *Reader) validateText(fin bool) bool {
	b := r.frag.B
	cut := len(b)
	if !fin {
		for i := len(b) - 1; i >= int(r.validated) && i >= len(b)-3; i-- {
			if utf8.RuneStart(b[i]) {
				if !utf8.FullRune(b[i:]) {
					cut = i
				}
				break
			}
		}
	}
	if !utf8.Valid(b[r.validated:cut]) {
		return false
	}
	r.validated = 0
	if uint64(cut) <= math.MaxUint32 {
		r.validated = uint32(cut)
	}
	return true
}
