package testca

import (
	"crypto/tls"
	"crypto/x509"
	"net"
	"os"
	"testing"
	"time"
)

// The server certificate verifies against the CA for its hosts only, and
// the files written load as a key pair and a CA.
func TestServerCertificateVerifiesAgainstCA(t *testing.T) {
	ca := New(t)
	for host, ok := range map[string]bool{"127.0.0.1": true, "localhost": true, "other.test": false} {
		if err := handshake(ca.ServerConfig(), ca.ClientConfig(), host); (err == nil) != ok {
			t.Fatalf("%s: handshake error %v, want success %v", host, err, ok)
		}
	}
	other, err := Generate()
	if err != nil {
		t.Fatal(err)
	}
	if err := handshake(ca.ServerConfig(), other.ClientConfig(), "127.0.0.1"); err == nil {
		t.Fatal("a client trusting another CA accepted the certificate")
	}
	certFile, keyFile, err := ca.WriteServerFiles(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tls.LoadX509KeyPair(certFile, keyFile); err != nil {
		t.Fatal(err)
	}
	pem, err := os.ReadFile(ca.CertFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) || !ca.Pool.Equal(pool) {
		t.Fatal("ca.pem is not the CA")
	}
}

// handshake runs a TLS handshake over loopback TCP (net.Pipe would
// deadlock: a client refusing the certificate writes its alert while the
// server is still writing its flight).
func handshake(server, client *tls.Config, host string) error {
	ln, err := tls.Listen("tcp", "127.0.0.1:0", server)
	if err != nil {
		return err
	}
	defer ln.Close()
	go func() {
		if c, err := ln.Accept(); err == nil {
			_ = c.(*tls.Conn).Handshake()
			_ = c.Close()
		}
	}()
	client = client.Clone()
	client.ServerName = host
	c, err := tls.DialWithDialer(&net.Dialer{Timeout: 5 * time.Second}, "tcp", ln.Addr().String(), client)
	if err != nil {
		return err
	}
	return c.Close()
}
