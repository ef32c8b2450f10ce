package standalone

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

const testSecret = "0123456789abcdef0123456789abcdef-test"

// signer makes tokens for one algorithm and names its verification key.
type signer struct {
	method jwt.SigningMethod
	key    any
	kid    string
}

func (s signer) token(t *testing.T, claims jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(s.method, claims)
	if s.kid != "" {
		tok.Header["kid"] = s.kid
	}
	str, err := tok.SignedString(s.key)
	if err != nil {
		t.Fatal(err)
	}
	return str
}

func pemFile(t *testing.T, pub crypto.PublicKey) string {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return writeFile(t, "key.pem", string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})))
}

func jwksFile(t *testing.T, rsaKey *rsa.PublicKey, ecKey *ecdsa.PublicKey) string {
	t.Helper()
	b64 := func(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }
	doc := map[string]any{"keys": []map[string]string{
		{"kty": "RSA", "kid": "r1", "n": b64(rsaKey.N.Bytes()), "e": b64(big.NewInt(int64(rsaKey.E)).Bytes())},
		{"kty": "EC", "kid": "e1", "crv": "P-256", "x": b64(ecKey.X.FillBytes(make([]byte, 32))), "y": b64(ecKey.Y.FillBytes(make([]byte, 32)))},
	}}
	b, _ := json.Marshal(doc)
	return writeFile(t, "jwks.json", string(b))
}

// TestJWTAlgorithms: a valid token of each algorithm connects a stock
// client (auth payload, or the token query parameter); the subject's room
// and the rooms claim are joined; a token of another key is refused.
func TestJWTAlgorithms(t *testing.T) {
	rsaKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	otherEC, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	jwks := jwksFile(t, &rsaKey.PublicKey, &ecKey.PublicKey)
	for _, tc := range []struct {
		name  string
		args  []string
		good  signer
		wrong signer
	}{
		{"HS256", []string{"-jwt-secret", testSecret}, signer{method: jwt.SigningMethodHS256, key: []byte(testSecret)}, signer{method: jwt.SigningMethodHS256, key: []byte(strings.ToUpper(testSecret))}},
		{"RS256", []string{"-jwt-public-key", pemFile(t, &rsaKey.PublicKey)}, signer{method: jwt.SigningMethodRS256, key: rsaKey}, signer{method: jwt.SigningMethodHS256, key: []byte(testSecret)}},
		{"ES256", []string{"-jwt-public-key", pemFile(t, &ecKey.PublicKey)}, signer{method: jwt.SigningMethodES256, key: ecKey}, signer{method: jwt.SigningMethodES256, key: otherEC}},
		{"JWKS-RS256", []string{"-jwt-jwks", jwks}, signer{method: jwt.SigningMethodRS256, key: rsaKey, kid: "r1"}, signer{method: jwt.SigningMethodES256, key: ecKey, kid: "r1"}},
		{"JWKS-ES256", []string{"-jwt-jwks", jwks}, signer{method: jwt.SigningMethodES256, key: ecKey, kid: "e1"}, signer{method: jwt.SigningMethodES256, key: otherEC, kid: "e1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := serve(t, testConfig(t, append([]string{"-auth", "jwt", "-api-keys", testAPIKey}, tc.args...)...))
			claims := jwt.MapClaims{"sub": "alice", "rooms": []string{"news", "sport"}, "exp": time.Now().Add(time.Hour).Unix()}
			c := startClients(t, map[string]any{"url": r.url(), "opts": map[string]any{"auth": map[string]string{"token": tc.good.token(t, claims)}, "reconnection": false}})
			c.waitType("connect")
			for _, room := range []string{"user:alice", "news", "sport"} {
				if status, body := r.call(t, "GET", "/api/rooms/"+room, testAPIKey, ""); status != 200 || !strings.Contains(body, `"count":1,"members":["alice"]`) {
					t.Errorf("room %s: %d %s", room, status, body)
				}
			}
			q := startClients(t, map[string]any{"url": r.url(), "opts": map[string]any{"query": map[string]string{"token": tc.good.token(t, claims)}, "reconnection": false}})
			q.waitType("connect")
			w := startClients(t, map[string]any{"url": r.url(), "opts": map[string]any{"auth": map[string]string{"token": tc.wrong.token(t, claims)}, "reconnection": false}})
			if e := w.waitType("connect_error"); !strings.HasPrefix(e.Message, "invalid token: ") {
				t.Errorf("wrong key: %q", e.Message)
			}
		})
	}
}

// TestJWTRefusals: each kind of bad token gets CONNECT_ERROR with its own
// message, seen by socket.io-client as connect_error.
func TestJWTRefusals(t *testing.T) {
	r := serve(t, testConfig(t, "-auth", "jwt", "-jwt-secret", testSecret, "-jwt-audience", "chat", "-jwt-issuer", "https://issuer.example"))
	hs := signer{method: jwt.SigningMethodHS256, key: []byte(testSecret)}
	now := time.Now()
	good := func(extra jwt.MapClaims) jwt.MapClaims {
		c := jwt.MapClaims{"sub": "bob", "aud": "chat", "iss": "https://issuer.example", "exp": now.Add(time.Hour).Unix()}
		for k, v := range extra {
			c[k] = v
		}
		return c
	}
	tampered := hs.token(t, good(nil))
	tampered = tampered[:len(tampered)-4] + "AAAA"
	for _, tc := range []struct {
		name  string
		token string
		want  string
	}{
		{"missing", "", "authentication required: send auth {token} or the token query parameter"},
		{"malformed", "not.a.jwt", "invalid token: malformed"},
		{"expired", hs.token(t, good(jwt.MapClaims{"exp": now.Add(-time.Minute).Unix()})), "invalid token: expired"},
		{"not-yet-valid", hs.token(t, good(jwt.MapClaims{"nbf": now.Add(time.Hour).Unix()})), "invalid token: not valid yet"},
		{"wrong-audience", hs.token(t, good(jwt.MapClaims{"aud": "billing"})), "invalid token: wrong audience"},
		{"wrong-issuer", hs.token(t, good(jwt.MapClaims{"iss": "https://evil.example"})), "invalid token: wrong issuer"},
		{"bad-signature", tampered, "invalid token: bad signature"},
		{"alg-none", signer{method: jwt.SigningMethodNone, key: jwt.UnsafeAllowNoneSignatureType}.token(t, good(nil)), "invalid token: bad signature"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := map[string]any{"reconnection": false}
			if tc.token != "" {
				opts["auth"] = map[string]string{"token": tc.token}
			}
			c := startClients(t, map[string]any{"url": r.url(), "opts": opts})
			if e := c.waitType("connect_error"); e.Message != tc.want {
				t.Errorf("got %q, want %q", e.Message, tc.want)
			}
		})
	}
	c := startClients(t, map[string]any{"url": r.url(), "opts": map[string]any{"auth": map[string]string{"token": hs.token(t, good(nil))}, "reconnection": false}})
	c.waitType("connect")
}

// TestJWTExpiryDisconnects: when exp passes, the socket gets token_expired
// and is disconnected by the server ("io server disconnect": the client
// does not reconnect by itself).
func TestJWTExpiryDisconnects(t *testing.T) {
	r := serve(t, testConfig(t, "-auth", "jwt", "-jwt-secret", testSecret))
	hs := signer{method: jwt.SigningMethodHS256, key: []byte(testSecret)}
	exp := time.Now().Add(2 * time.Second).Unix()
	c := startClients(t, map[string]any{"url": r.url(), "opts": map[string]any{"auth": map[string]string{"token": hs.token(t, jwt.MapClaims{"sub": "carol", "exp": exp})}}})
	c.waitType("connect")
	e := c.waitType("event")
	if e.Event != ExpiredEvent || joinRaw(e.Args) != strings.TrimSpace(string(mustJSON(exp))) {
		t.Fatalf("got %+v", e)
	}
	if d := c.waitType("disconnect"); d.Reason != "io server disconnect" {
		t.Fatalf("reason %q", d.Reason)
	}
	if time.Now().Unix() < exp {
		t.Fatal("disconnected before exp")
	}
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}
