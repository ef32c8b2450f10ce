package loop

import (
	"bytes"
	"crypto/tls"
	"encoding/hex"
	"io"
)

// hookKeyLog makes every handshake of cfg log its secrets to the handshake
// itself: GetConfigForClient (wrapping the one cfg had) returns, per
// connection, a clone whose KeyLogWriter is that connection's tlsKeyLog.
// With the application traffic secrets the loop seals and opens TLS 1.3
// records itself (tls_records.go). Session ticket keys stay the original
// configuration's (crypto/tls takes them from it unless the clone sets its
// own), so resumption works across connections.
func hookKeyLog(cfg *tls.Config) {
	get := cfg.GetConfigForClient
	cfg.GetConfigForClient = func(hello *tls.ClientHelloInfo) (*tls.Config, error) {
		base := cfg
		if get != nil {
			sub, err := get(hello)
			if err != nil {
				return nil, err
			}
			if sub != nil {
				base = sub
			}
		}
		w, ok := hello.Conn.(*tlsWire)
		if !ok || w.hs == nil {
			return base, nil
		}
		c := base.Clone()
		c.NextProtos = []string{"http/1.1"} // also for a configuration from get
		c.KeyLogWriter = &tlsKeyLog{hs: w.hs, user: base.KeyLogWriter}
		return c, nil
	}
}

// tlsKeyLog receives one handshake's secrets from crypto/tls, as lines
// "LABEL <client random> <secret>" in hex, on the handshake goroutine. It
// keeps the application traffic secrets in the handshake's state and
// forwards every line to the KeyLogWriter of the configuration, if any.
type tlsKeyLog struct {
	hs   *tlsHandshake
	user io.Writer
}

// Write takes one key log line. Handshake goroutine only.
func (k *tlsKeyLog) Write(line []byte) (int, error) {
	if k.user != nil {
		_, _ = k.user.Write(line)
	}
	f := bytes.Fields(line)
	if len(f) != 3 || len(f[2]) > 2*maxSecretLen {
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
	secret := make([]byte, hex.DecodedLen(len(f[2])))
	if _, err := hex.Decode(secret, f[2]); err == nil {
		k.hs.secrets[dir] = secret
	}
	return len(line), nil
}
