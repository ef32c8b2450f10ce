package standalone

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/sio-fast/sio-fast/socketio"
)

// Claims are the JWT claims sio-fast reads: the registered ones, Rooms
// (joined at connect) and Channels (room patterns the client may subscribe
// to, beside the configured policy).
type Claims struct {
	jwt.RegisteredClaims
	Rooms    []string `json:"rooms,omitempty"`
	Channels []string `json:"channels,omitempty"`
}

// Identity is what an authenticated socket carries (Socket.Data).
type Identity struct {
	Subject  string
	Channels []string
	Expires  time.Time // zero: no exp claim
}

// verifier checks tokens against the configured key or key set.
type verifier struct {
	parser  *jwt.Parser
	keyFunc jwt.Keyfunc
}

// newVerifier loads the key material of cfg. Errors name the key.
func newVerifier(cfg JWTConfig) (*verifier, error) {
	var (
		methods []string
		keyFunc jwt.Keyfunc
	)
	switch {
	case cfg.Secret != "":
		methods = []string{"HS256"}
		secret := []byte(cfg.Secret)
		keyFunc = func(*jwt.Token) (any, error) { return secret, nil }
	case cfg.PublicKeyFile != "":
		key, err := readPublicKey(cfg.PublicKeyFile)
		if err != nil {
			return nil, fmt.Errorf("auth.jwt.public_key_file: %w (got %q)", err, cfg.PublicKeyFile)
		}
		methods = []string{methodOf(key)}
		keyFunc = func(*jwt.Token) (any, error) { return key, nil }
	case cfg.JWKSFile != "":
		set, err := readJWKS(cfg.JWKSFile)
		if err != nil {
			return nil, fmt.Errorf("auth.jwt.jwks_file: %w (got %q)", err, cfg.JWKSFile)
		}
		methods = []string{"RS256", "ES256"}
		keyFunc = set.key
	default:
		return nil, errors.New("auth.jwt: no key configured")
	}
	opts := []jwt.ParserOption{jwt.WithValidMethods(methods), jwt.WithLeeway(cfg.Leeway)}
	if cfg.Audience != "" {
		opts = append(opts, jwt.WithAudience(cfg.Audience))
	}
	if cfg.Issuer != "" {
		opts = append(opts, jwt.WithIssuer(cfg.Issuer))
	}
	return &verifier{parser: jwt.NewParser(opts...), keyFunc: keyFunc}, nil
}

// verify parses and checks token; the error is the message the client gets.
func (v *verifier) verify(token string) (*Claims, error) {
	claims := new(Claims)
	_, err := v.parser.ParseWithClaims(token, claims, v.keyFunc)
	if err != nil {
		return nil, errors.New(refusal(err))
	}
	return claims, nil
}

// refusal turns a jwt error into the CONNECT_ERROR message.
func refusal(err error) string {
	for _, r := range []struct {
		err error
		msg string
	}{
		{jwt.ErrTokenMalformed, "invalid token: malformed"},
		{jwt.ErrTokenSignatureInvalid, "invalid token: bad signature"},
		{jwt.ErrTokenUnverifiable, "invalid token: unverifiable (unknown key or algorithm)"},
		{jwt.ErrTokenExpired, "invalid token: expired"},
		{jwt.ErrTokenNotValidYet, "invalid token: not valid yet"},
		{jwt.ErrTokenUsedBeforeIssued, "invalid token: issued in the future"},
		{jwt.ErrTokenInvalidAudience, "invalid token: wrong audience"},
		{jwt.ErrTokenInvalidIssuer, "invalid token: wrong issuer"},
	} {
		if errors.Is(err, r.err) {
			return r.msg
		}
	}
	return "invalid token: " + err.Error()
}

// ExpiredEvent is emitted to a socket whose token expires, just before the
// server disconnects it (client reason "io server disconnect"; the client
// does not reconnect by itself: it fetches a new token and calls connect).
const ExpiredEvent = "token_expired"

// authMiddleware refuses sockets without a valid token (CONNECT_ERROR with
// the reason; refused counts it), joins user:<sub> and the rooms claim, and
// schedules the disconnect at exp.
func authMiddleware(v *verifier, refused func()) socketio.Middleware {
	return func(s *socketio.Socket, next func(error)) {
		token := tokenOf(s.Handshake())
		if token == "" {
			refused()
			next(errors.New("authentication required: send auth {token} or the token query parameter"))
			return
		}
		claims, err := v.verify(token)
		if err != nil {
			refused()
			next(err)
			return
		}
		id := &Identity{Subject: claims.Subject, Channels: claims.Channels}
		if claims.Subject != "" {
			s.Join("user:" + claims.Subject)
		}
		s.Join(claims.Rooms...)
		if claims.ExpiresAt != nil {
			id.Expires = claims.ExpiresAt.Time
			expireAt(s, id.Expires)
		}
		s.SetData(id)
		next(nil)
	}
}

// expireAt disconnects s at t, telling it why first.
func expireAt(s *socketio.Socket, t time.Time) {
	timer := time.AfterFunc(time.Until(t), func() {
		_ = s.Emit(ExpiredEvent, t.Unix())
		s.Disconnect(false)
	})
	s.OnDisconnect(func(*socketio.Socket, socketio.DisconnectReason) { timer.Stop() })
}

// tokenOf reads the token from the CONNECT auth payload ({"token": ...}),
// else the token query parameter.
func tokenOf(hs *socketio.Handshake) string {
	var auth struct {
		Token string `json:"token"`
	}
	if json.Unmarshal(hs.Auth, &auth) == nil && auth.Token != "" {
		return auth.Token
	}
	return hs.Query.Get("token")
}

// identityOf returns the socket's identity (nil with auth none).
func identityOf(s *socketio.Socket) *Identity {
	id, _ := s.Data().(*Identity)
	return id
}

func readPublicKey(path string) (crypto.PublicKey, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, errors.New("no PEM block")
	}
	key, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		return nil, err
	}
	if ec, ok := key.(*ecdsa.PublicKey); ok && ec.Curve.Params().Name != "P-256" {
		return nil, fmt.Errorf("EC curve %s: ES256 needs P-256", ec.Curve.Params().Name)
	}
	if _, ok := key.(*rsa.PublicKey); !ok && methodOf(key) == "" {
		return nil, fmt.Errorf("unsupported key type %T (RSA or EC P-256)", key)
	}
	return key, nil
}

func methodOf(key crypto.PublicKey) string {
	switch key.(type) {
	case *rsa.PublicKey:
		return "RS256"
	case *ecdsa.PublicKey:
		return "ES256"
	}
	return ""
}
