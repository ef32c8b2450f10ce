package loop

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/tls"
	"encoding/binary"
	"hash"
	"io"
	"slices"
	"strconv"
	"time"
)

// The TLS 1.3 record layer of the loop (RFC 8446 section 5), used after a
// handshake done by crypto/tls that chose AES-GCM. crypto/tls's own record
// layer keeps a tls.Conn (about 850 bytes), two AEADs (about 1.6 KiB) and
// its input buffers for the life of the connection; this one keeps the
// traffic secrets and derived keys (about 350 bytes) and builds the AEADs
// when records flow, dropping them again after tlsCipherIdle without
// traffic: an idle connection, the common case, holds no cipher state.
// Records are opened in place in the bytes gnet received.
//
// Other handshakes (TLS 1.2, ChaCha20-Poly1305) keep crypto/tls's record
// layer (tlsTransport.tc).

const (
	recordHeaderLen   = 5
	maxPlaintext      = 16384
	maxCiphertext13   = maxPlaintext + 256
	maxSecretLen      = 48 // SHA-384
	recordTypeAlert   = 21
	recordTypeHandsh  = 22
	recordTypeAppData = 23
	handshakeKeyUpd   = 24
	// tlsCipherIdle is how long a connection keeps its AEADs after its
	// last record; rebuilding one costs an AES key schedule and GHASH
	// tables (2.4 µs and 1,280 B, BenchmarkRecords13CipherBuild).
	tlsCipherIdle = 2 * time.Second
	// maxTicketsTried bounds the search for the number of session tickets
	// the server sealed during the handshake (tlsHandshake.records).
	maxTicketsTried = 8
)

// TLS alert descriptions sent or recognised here.
const (
	alertCloseNotify            = 0
	alertUnexpectedMessage      = 10
	alertBadRecordMAC           = 20
	alertRecordOverflow         = 22
	alertDecodeError            = 50
	alertUserCanceled           = 90
	alertLevelWarning      byte = 1
	alertLevelFatal        byte = 2
)

// tlsAlertError closes a connection for a TLS alert, sent (a bad record)
// or received from the peer.
type tlsAlertError struct {
	desc   byte
	remote bool
}

func (e tlsAlertError) Error() string {
	if e.remote {
		return "loop: tls: peer sent alert " + strconv.Itoa(int(e.desc))
	}
	return "loop: tls: bad record from peer (alert " + strconv.Itoa(int(e.desc)) + " sent)"
}

// trafficKeys are one direction's keys: the traffic secret (kept for key
// updates), the AEAD key and IV derived from it, and the record sequence.
type trafficKeys struct {
	secret    [maxSecretLen]byte
	key       [32]byte
	iv        [12]byte
	nonceBuf  [12]byte // the current record's nonce (a slice of it goes to the AEAD)
	secretLen uint8
	keyLen    uint8
	sha384    bool
	seq       uint64
	aead      cipher.AEAD // nil while idle
}

// records13 is a connection's TLS 1.3 record state. Loop goroutine only
// (built on the handshake goroutine, handed over through Loop.Execute).
type records13 struct {
	in, out trafficKeys // client to server, server to client
	idle    Timer       // drops the AEADs after tlsCipherIdle unused
	l       *Loop       // the loop of idle, set by touch
	used    bool        // a record was sealed or opened since the last idle check
}

// newRecords13 returns the record state for suite with the client's and
// the server's application traffic secrets, or nil when the suite is not
// AES-GCM (or the secrets do not fit it).
func newRecords13(suite uint16, client, server []byte) *records13 {
	var sha384 bool
	var keyLen int
	switch suite {
	case tls.TLS_AES_128_GCM_SHA256:
		keyLen = 16
	case tls.TLS_AES_256_GCM_SHA384:
		keyLen, sha384 = 32, true
	default:
		return nil
	}
	hashLen := 32
	if sha384 {
		hashLen = 48
	}
	if len(client) != hashLen || len(server) != hashLen {
		return nil
	}
	r := &records13{}
	r.in.init(sha384, keyLen, client)
	r.out.init(sha384, keyLen, server)
	r.idle.InitWith(func(*Timer) { r.idleCheck() })
	return r
}

func (k *trafficKeys) init(sha384 bool, keyLen int, secret []byte) {
	k.sha384, k.keyLen = sha384, uint8(keyLen)
	k.setSecret(secret)
}

// setSecret installs a traffic secret: new key and IV, sequence zero.
func (k *trafficKeys) setSecret(secret []byte) {
	k.secretLen = uint8(copy(k.secret[:], secret))
	copy(k.key[:], k.expandLabel("key", int(k.keyLen)))
	copy(k.iv[:], k.expandLabel("iv", len(k.iv)))
	k.seq = 0
	k.aead = nil
}

// update moves to the next traffic secret (KeyUpdate, RFC 8446 7.2).
func (k *trafficKeys) update() {
	k.setSecret(k.expandLabel("traffic upd", int(k.secretLen)))
}

// expandLabel is HKDF-Expand-Label(secret, label, "", n) (RFC 8446 7.1).
func (k *trafficKeys) expandLabel(label string, n int) []byte {
	info := make([]byte, 0, 4+6+len(label))
	info = binary.BigEndian.AppendUint16(info, uint16(n))
	info = append(info, byte(6+len(label)))
	info = append(info, "tls13 "...)
	info = append(info, label...)
	info = append(info, 0) // empty context
	var out []byte
	var err error
	if k.sha384 {
		out, err = hkdf.Expand(sha512.New384, k.secret[:k.secretLen], string(info), n)
	} else {
		out, err = hkdf.Expand(func() hash.Hash { return sha256.New() }, k.secret[:k.secretLen], string(info), n)
	}
	if err != nil {
		panic("loop: tls: HKDF-Expand: " + err.Error()) // only for lengths this file never asks
	}
	return out
}

// cipher returns the AEAD, building it if the connection was idle.
func (k *trafficKeys) cipher() cipher.AEAD {
	if k.aead == nil {
		block, err := aes.NewCipher(k.key[:k.keyLen])
		if err != nil {
			panic("loop: tls: " + err.Error()) // the key length is 16 or 32
		}
		k.aead, err = cipher.NewGCM(block)
		if err != nil {
			panic("loop: tls: " + err.Error())
		}
	}
	return k.aead
}

// nonce is the per-record nonce: the IV XOR the sequence number. It is
// kept in k (a stack array would escape through the AEAD interface) and
// valid until the next call.
func (k *trafficKeys) nonce() []byte {
	k.nonceBuf = k.iv
	var s [8]byte
	binary.BigEndian.PutUint64(s[:], k.seq)
	for i := range s {
		k.nonceBuf[4+i] ^= s[i]
	}
	return k.nonceBuf[:]
}

// opens reports whether rec, a whole protected record, opens with these
// keys at sequence seq (without changing anything).
func (k *trafficKeys) opens(rec []byte, seq uint64) bool {
	saved := k.seq
	k.seq = seq
	nonce := k.nonce()
	k.seq = saved
	_, err := k.cipher().Open(nil, nonce, rec[recordHeaderLen:], rec[:recordHeaderLen])
	return err == nil
}

// touch marks the record state used and arms the idle check. l is the
// connection's loop.
func (r *records13) touch(l *Loop) {
	r.used = true
	if !r.idle.Armed() {
		r.l = l
		l.Arm(&r.idle, tlsCipherIdle)
	}
}

// idleCheck drops the AEADs of a connection that sealed and opened nothing
// since the last check; it runs on the loop that armed it.
func (r *records13) idleCheck() {
	if r.used {
		r.used = false
		r.l.Arm(&r.idle, tlsCipherIdle)
		return
	}
	r.in.aead, r.out.aead = nil, nil
}

// seal appends bs, sealed as records of type typ (at most maxPlaintext
// bytes each, at least one record), to out.
func (r *records13) seal(out []byte, typ byte, bs [][]byte) []byte {
	a := r.out.cipher()
	total := 0
	for _, b := range bs {
		total += len(b)
	}
	i, off := 0, 0
	for first := true; first || total > 0; first = false {
		n := min(total, maxPlaintext)
		out = slices.Grow(out, recordHeaderLen+n+1+a.Overhead())
		start := len(out)
		out = append(out, recordTypeAppData, 3, 3, 0, 0)
		for need := n; need > 0; {
			b := bs[i][off:]
			m := min(len(b), need)
			out = append(out, b[:m]...)
			need -= m
			off += m
			if off == len(bs[i]) {
				i, off = i+1, 0
			}
		}
		out = append(out, typ)
		binary.BigEndian.PutUint16(out[start+3:], uint16(n+1+a.Overhead()))
		nonce := r.out.nonce()
		body := start + recordHeaderLen
		out = a.Seal(out[:body], nonce, out[body:], out[start:body])
		r.out.seq++
		total -= n
	}
	return out
}

// open decrypts the whole records at the start of buf in place and moves
// their application data to the front of buf. It returns the length of
// that plaintext, the bytes of buf consumed (whole records), and why the
// connection must close: io.EOF for close_notify, a tlsAlertError, or nil.
// A KeyUpdate from the peer is answered through t.
func (r *records13) open(t *tlsTransport, buf []byte) (plain, used int, err error) {
	for err == nil && len(buf)-used >= recordHeaderLen {
		hdr := buf[used : used+recordHeaderLen]
		n := int(binary.BigEndian.Uint16(hdr[3:]))
		if hdr[0] != recordTypeAppData {
			// After the Finished every record is protected (RFC 8446 5).
			return plain, used, t.fail(alertUnexpectedMessage)
		}
		if n > maxCiphertext13 {
			return plain, used, t.fail(alertRecordOverflow)
		}
		if len(buf)-used < recordHeaderLen+n {
			break
		}
		body := buf[used+recordHeaderLen : used+recordHeaderLen+n]
		nonce := r.in.nonce()
		p, oerr := r.in.cipher().Open(body[:0], nonce, body, hdr)
		if oerr != nil {
			return plain, used, t.fail(alertBadRecordMAC)
		}
		r.in.seq++
		used += recordHeaderLen + n
		// The content type is the last non-zero byte; zeros are padding.
		end := len(p) - 1
		for end >= 0 && p[end] == 0 {
			end--
		}
		if end < 0 {
			return plain, used, t.fail(alertUnexpectedMessage)
		}
		typ := p[end]
		p = p[:end]
		if len(p) > maxPlaintext {
			return plain, used, t.fail(alertRecordOverflow)
		}
		switch typ {
		case recordTypeAppData:
			plain += copy(buf[plain:], p)
		case recordTypeAlert:
			err = r.alert(t, p)
		case recordTypeHandsh:
			err = r.postHandshake(t, p)
		default:
			err = t.fail(alertUnexpectedMessage)
		}
	}
	return plain, used, err
}

// alert handles an alert record: close_notify ends the stream, a
// user_canceled warning is ignored, anything else closes the connection.
func (r *records13) alert(t *tlsTransport, p []byte) error {
	if len(p) != 2 {
		return t.fail(alertDecodeError)
	}
	switch p[1] {
	case alertCloseNotify:
		return io.EOF
	case alertUserCanceled:
		return nil
	}
	return tlsAlertError{desc: p[1], remote: true}
}

// postHandshake handles the handshake messages of a record after the
// handshake: only KeyUpdate is valid from a client. A message split over
// records (legal, but no client does it for five bytes) is refused.
func (r *records13) postHandshake(t *tlsTransport, p []byte) error {
	for len(p) > 0 {
		if len(p) < 4 {
			return t.fail(alertUnexpectedMessage)
		}
		n := int(p[1])<<16 | int(p[2])<<8 | int(p[3])
		if p[0] != handshakeKeyUpd || n != 1 || len(p) < 4+n || p[4] > 1 {
			return t.fail(alertUnexpectedMessage)
		}
		r.in.update()
		if p[4] == 1 { // update_requested: answer under the old key, then move on
			t.sealNow(recordTypeHandsh, []byte{handshakeKeyUpd, 0, 0, 1, 0})
			r.out.update()
		}
		p = p[4+n:]
	}
	return nil
}
