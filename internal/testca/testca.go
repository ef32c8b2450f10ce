// Package testca makes a throwaway certificate authority and a server
// certificate it signed, for tests that speak TLS to real clients (the npm
// socket.io-client trusts the CA through NODE_EXTRA_CA_CERTS). Standard
// library only; nothing here is fit for production.
package testca

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// CA is a certificate authority and one server certificate for 127.0.0.1,
// ::1 and localhost.
type CA struct {
	// CertPEM is the CA certificate, PEM-encoded; CertFile holds it on disk
	// (for NODE_EXTRA_CA_CERTS).
	CertPEM  []byte
	CertFile string
	// Pool trusts the CA, for Go clients.
	Pool *x509.CertPool
	// Server is the server's certificate chain and key.
	Server tls.Certificate
}

// New makes a CA and its server certificate; the CA file lives in t's
// temporary directory.
func New(t testing.TB) *CA {
	t.Helper()
	ca, err := Generate()
	if err != nil {
		t.Fatal(err)
	}
	ca.CertFile = filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca.CertFile, ca.CertPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	return ca
}

// Generate makes a CA and its server certificate, in memory only (CertFile
// is empty), for code without a testing.TB: examples, benchmark setups.
func Generate() (*CA, error) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	caTmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "sio-fast test CA"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(24 * time.Hour),
		IsCA:                  true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	caCert, err := x509.ParseCertificate(caDER)
	if err != nil {
		return nil, err
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	leafTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2),
		Subject:      pkix.Name{CommonName: "localhost"},
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTmpl, caCert, &key.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	ca := &CA{
		CertPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}),
		Pool:    x509.NewCertPool(),
		Server:  tls.Certificate{Certificate: [][]byte{leafDER}, PrivateKey: key},
	}
	ca.Pool.AddCert(caCert)
	return ca, nil
}

// ServerConfig returns a TLS configuration serving the certificate, HTTP/1.1
// only (ALPN "http/1.1": WebSocket upgrades need HTTP/1.1).
func (ca *CA) ServerConfig() *tls.Config {
	return &tls.Config{Certificates: []tls.Certificate{ca.Server}, NextProtos: []string{"http/1.1"}}
}

// ClientConfig returns a TLS configuration trusting the CA.
func (ca *CA) ClientConfig() *tls.Config {
	return &tls.Config{RootCAs: ca.Pool, ServerName: "127.0.0.1"}
}

// WriteServerFiles writes the server's certificate chain and private key as
// PEM files into dir (for sio-fast -tls-cert/-tls-key, or Node's https) and
// returns their paths.
func (ca *CA) WriteServerFiles(dir string) (certFile, keyFile string, err error) {
	keyDER, err := x509.MarshalPKCS8PrivateKey(ca.Server.PrivateKey)
	if err != nil {
		return "", "", err
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	var chain []byte
	for _, der := range ca.Server.Certificate {
		chain = append(chain, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})...)
	}
	if err := os.WriteFile(certFile, chain, 0o600); err != nil {
		return "", "", err
	}
	return certFile, keyFile, os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600)
}
