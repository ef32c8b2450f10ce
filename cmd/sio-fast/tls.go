package main

import (
	"crypto/tls"
	"errors"
	"fmt"

	"github.com/sio-fast/sio-fast/loop"
)

// tlsOption loads -tls-cert and -tls-key into a loop.WithTLS option; nil
// when neither is given.
func tlsOption(certFile, keyFile string) (loop.Option, error) {
	if certFile == "" && keyFile == "" {
		return nil, nil
	}
	if certFile == "" || keyFile == "" {
		return nil, errors.New("-tls-cert and -tls-key go together")
	}
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("tls: %w", err)
	}
	return loop.WithTLS(&tls.Config{Certificates: []tls.Certificate{cert}}), nil
}
