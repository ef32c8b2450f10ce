package loop

import (
	"bytes"
	"crypto/tls"
	"encoding/hex"
	"io"
	"sync"
)

// tlsKeyLog is the KeyLogWriter of a TLS server. crypto/tls writes each
// secret to it as "LABEL <client random> <secret>" in hex, on the goroutine
// running the handshake; the application traffic secrets are handed to the
// handshake of the connection with that client random, registered once it
// read the ClientHello (tlsHandshake.noteHead). With them the loop seals
// and opens TLS 1.3 records itself (tls_records.go). Every line is also
// forwarded to the KeyLogWriter of the configuration given to WithTLS.
//
// Two handshakes under way with the same client random (a replayed
// ClientHello) get no secrets at all: they fall back to crypto/tls's own
// record layer, so a secret can never reach another connection.
type tlsKeyLog struct {
	user     io.Writer
	mu       sync.Mutex
	byRandom map[[32]byte]randomOwner
}

// randomOwner is the handshake that registered a client random, nil when
// n > 1 handshakes did.
type randomOwner struct {
	hs *tlsHandshake
	n  int
}

func newTLSKeyLog(user io.Writer) *tlsKeyLog {
	return &tlsKeyLog{user: user, byRandom: make(map[[32]byte]randomOwner)}
}

// hook makes c (a configuration from GetConfigForClient) log to k.
func (k *tlsKeyLog) hook(c *tls.Config) { c.KeyLogWriter = k }

func (k *tlsKeyLog) register(random [32]byte, hs *tlsHandshake) {
	k.mu.Lock()
	o := k.byRandom[random]
	o.n++
	o.hs = hs
	if o.n > 1 {
		o.hs = nil
	}
	k.byRandom[random] = o
	k.mu.Unlock()
}

func (k *tlsKeyLog) unregister(random [32]byte) {
	k.mu.Lock()
	o := k.byRandom[random]
	o.n--
	if o.n <= 0 {
		delete(k.byRandom, random)
	} else {
		o.hs = nil // still ambiguous for the others
		k.byRandom[random] = o
	}
	k.mu.Unlock()
}

// Write takes one key log line.
func (k *tlsKeyLog) Write(line []byte) (int, error) {
	if k.user != nil {
		_, _ = k.user.Write(line)
	}
	f := bytes.Fields(line)
	if len(f) != 3 || len(f[1]) != 64 || len(f[2]) > 2*maxSecretLen {
		return len(line), nil
	}
	var dir int
	switch string(f[0]) {
	case "CLIENT_TRAFFIC_SECRET_0":
		dir = 0
	case "SERVER_TRAFFIC_SECRET_0":
		dir = 1
	default:
		return len(line), nil
	}
	var random [32]byte
	if _, err := hex.Decode(random[:], f[1]); err != nil {
		return len(line), nil
	}
	secret, err := hex.DecodeString(string(f[2]))
	if err != nil {
		return len(line), nil
	}
	k.mu.Lock()
	hs := k.byRandom[random].hs
	k.mu.Unlock()
	if hs != nil {
		hs.secrets[dir] = secret // on the handshake goroutine, which owns hs
	}
	return len(line), nil
}
