package httpx

import (
	"bufio"
	"crypto/sha1"
	"encoding/base64"
	"math/rand"
	"net/http"
	"strings"
	"testing"
)

const sampleKey = "dGhlIHNhbXBsZSBub25jZQ=="

func upgradeReq(method, version string, drop string, extra ...string) string {
	lines := []string{method + " /socket.io/?EIO=4&transport=websocket " + version}
	base := []string{
		"Host: example.com", "Upgrade: websocket", "Connection: Upgrade",
		"Sec-WebSocket-Version: 13", "Sec-WebSocket-Key: " + sampleKey,
	}
	for _, l := range base {
		if drop == "" || !strings.HasPrefix(l, drop+":") {
			lines = append(lines, l)
		}
	}
	return req(append(lines, extra...)...)
}

func TestCheckUpgrade(t *testing.T) {
	cases := []struct {
		name string
		in   string
		err  *Error
		is   bool
	}{
		{"valid", upgradeReq("GET", "HTTP/1.1", ""), nil, true},
		{"token lists", upgradeReq("GET", "HTTP/1.1", "Connection", "Connection: keep-alive, UPGRADE"), nil, true},
		{"upgrade case", upgradeReq("GET", "HTTP/1.1", "Upgrade", "Upgrade: WebSocket"), nil, true},
		{"post", upgradeReq("POST", "HTTP/1.1", ""), ErrUpgradeMethod, true},
		{"http/1.0", upgradeReq("GET", "HTTP/1.0", ""), ErrUpgradeVersion, true},
		{"no upgrade", upgradeReq("GET", "HTTP/1.1", "Upgrade"), ErrUpgradeHeader, false},
		{"upgrade h2c", upgradeReq("GET", "HTTP/1.1", "Upgrade", "Upgrade: h2c"), ErrUpgradeHeader, false},
		{"no connection", upgradeReq("GET", "HTTP/1.1", "Connection"), ErrUpgradeConnection, true},
		{"connection keep-alive only", upgradeReq("GET", "HTTP/1.1", "Connection", "Connection: keep-alive"),
			ErrUpgradeConnection, true},
		{"no version", upgradeReq("GET", "HTTP/1.1", "Sec-WebSocket-Version"), ErrUpgradeWSVersion, true},
		{"version 8", upgradeReq("GET", "HTTP/1.1", "Sec-WebSocket-Version", "Sec-WebSocket-Version: 8"),
			ErrUpgradeWSVersion, true},
		{"no key", upgradeReq("GET", "HTTP/1.1", "Sec-WebSocket-Key"), ErrUpgradeKey, true},
		{"short key", upgradeReq("GET", "HTTP/1.1", "Sec-WebSocket-Key", "Sec-WebSocket-Key: dGhlIHNhbXBsZQ=="),
			ErrUpgradeKey, true},
		{"key bad char", upgradeReq("GET", "HTTP/1.1", "Sec-WebSocket-Key", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25j*Q=="),
			ErrUpgradeKey, true},
		{"key non-canonical", upgradeReq("GET", "HTTP/1.1", "Sec-WebSocket-Key", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZR=="),
			ErrUpgradeKey, true},
		{"key no padding", upgradeReq("GET", "HTTP/1.1", "Sec-WebSocket-Key", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQAA"),
			ErrUpgradeKey, true},
		{"key twice", upgradeReq("GET", "HTTP/1.1", "", "Sec-WebSocket-Key: "+sampleKey), ErrUpgradeKey, true},
	}
	for _, c := range cases {
		r := mustParse(t, c.in)
		key, err := CheckUpgrade(r)
		if err != c.err {
			t.Errorf("%s: err = %v, want %v", c.name, err, c.err)
		}
		if err == nil && string(key) != sampleKey {
			t.Errorf("%s: key %q", c.name, key)
		}
		if IsUpgrade(r) != c.is {
			t.Errorf("%s: IsUpgrade = %v", c.name, !c.is)
		}
	}
	// A hand-built request may lack Host even though the parser requires it.
	if _, err := CheckUpgrade(&Request{Method: []byte("GET"), Minor: 1}); err != ErrUpgradeHost {
		t.Errorf("no host: %v", err)
	}
}

func TestAcceptKeyVector(t *testing.T) {
	got := string(AppendAcceptKey([]byte("x"), []byte(sampleKey)))
	if got != "xs3pPLMBiTxaQ9kYGzzhZRbK+xOo=" {
		t.Fatalf("accept = %q", got)
	}
}

func TestAcceptKeyRandom(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 200; i++ {
		key := make([]byte, rng.Intn(40))
		rng.Read(key)
		h := sha1.Sum(append(append([]byte(nil), key...), websocketGUID...))
		if want := base64.StdEncoding.EncodeToString(h[:]); string(AppendAcceptKey(nil, key)) != want {
			t.Fatalf("key %x", key)
		}
	}
}

func TestValidKeyRandom(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	var nonce [16]byte
	for i := 0; i < 500; i++ {
		rng.Read(nonce[:])
		if k := base64.StdEncoding.EncodeToString(nonce[:]); !validKey([]byte(k)) {
			t.Fatalf("rejected %s", k)
		}
	}
}

func TestAppendSwitchingProtocols(t *testing.T) {
	want := "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n"
	if got := string(AppendSwitchingProtocols(nil, []byte(sampleKey))); got != want {
		t.Fatalf("%q", got)
	}
	out := AppendSwitchingProtocolsHead(nil, []byte(sampleKey))
	out = AppendHeader(out, "Set-Cookie", "io=abc")
	out = AppendEndHeaders(out)
	resp, err := http.ReadResponse(bufio.NewReader(strings.NewReader(string(out))), nil)
	if err != nil || resp.StatusCode != 101 || resp.Header.Get("Set-Cookie") != "io=abc" ||
		resp.Header.Get("Sec-WebSocket-Accept") != "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" {
		t.Fatalf("%v %+v", err, resp)
	}
}
