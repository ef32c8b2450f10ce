package standalone

import (
	"crypto"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os"

	"github.com/golang-jwt/jwt/v5"
)

// jwks is a JSON Web Key Set (RFC 7517) of RSA and EC P-256 public keys,
// chosen by the token's kid.
type jwks struct {
	byKID map[string]crypto.PublicKey
}

type jwk struct {
	Kty string `json:"kty"`
	Kid string `json:"kid"`
	Crv string `json:"crv"`
	N   string `json:"n"`
	E   string `json:"e"`
	X   string `json:"x"`
	Y   string `json:"y"`
}

func readJWKS(path string) (*jwks, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Keys []jwk `json:"keys"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	if len(doc.Keys) == 0 {
		return nil, errors.New("no keys")
	}
	set := &jwks{byKID: make(map[string]crypto.PublicKey, len(doc.Keys))}
	for i, k := range doc.Keys {
		key, err := k.publicKey()
		if err != nil {
			return nil, fmt.Errorf("key %d (kid %q): %w", i, k.Kid, err)
		}
		set.byKID[k.Kid] = key
	}
	return set, nil
}

func (k jwk) publicKey() (crypto.PublicKey, error) {
	dec := base64.RawURLEncoding.DecodeString
	switch k.Kty {
	case "RSA":
		n, err1 := dec(k.N)
		e, err2 := dec(k.E)
		if err := errors.Join(err1, err2); err != nil || len(n) == 0 || len(e) == 0 || len(e) > 4 {
			return nil, errors.New("bad RSA n or e")
		}
		return &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}, nil
	case "EC":
		if k.Crv != "P-256" {
			return nil, fmt.Errorf("curve %q: ES256 needs P-256", k.Crv)
		}
		x, err1 := dec(k.X)
		y, err2 := dec(k.Y)
		if err := errors.Join(err1, err2); err != nil || len(x) != 32 || len(y) != 32 {
			return nil, errors.New("bad EC x or y")
		}
		// ecdh checks that the point is on the curve.
		if _, err := ecdh.P256().NewPublicKey(append(append([]byte{4}, x...), y...)); err != nil {
			return nil, err
		}
		return &ecdsa.PublicKey{Curve: elliptic.P256(), X: new(big.Int).SetBytes(x), Y: new(big.Int).SetBytes(y)}, nil
	}
	return nil, fmt.Errorf("kty %q (RSA or EC)", k.Kty)
}

// key is the jwt.Keyfunc: the key named by the token's kid, which must match
// the token's algorithm.
func (s *jwks) key(t *jwt.Token) (any, error) {
	kid, _ := t.Header["kid"].(string)
	key, ok := s.byKID[kid]
	if !ok {
		return nil, fmt.Errorf("no key with kid %q", kid)
	}
	if methodOf(key) != t.Method.Alg() {
		return nil, fmt.Errorf("key %q is not for %s", kid, t.Method.Alg())
	}
	return key, nil
}
