package main

import (
	"io"
	"log"
	"testing"

	"github.com/sio-fast/sio-fast/examples/internal/exampletest"
)

func TestWithSocketIOClient(t *testing.T) {
	h, eng := newHandler(log.New(io.Discard, "", 0))
	exampletest.Run(t, h, eng, false)
}

// TestWithSocketIOClientTLS runs the same client over https and wss, the
// server's certificate signed by a test CA the client trusts through
// NODE_EXTRA_CA_CERTS; HTTP/1.1 only (ALPN "http/1.1"). The upgraded
// connections are *tls.Conn, carried by the reactor's stream transport.
func TestWithSocketIOClientTLS(t *testing.T) {
	h, eng := newHandler(log.New(io.Discard, "", 0))
	exampletest.Run(t, h, eng, true)
}
