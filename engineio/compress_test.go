package engineio

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestPickEncoding(t *testing.T) {
	cases := []struct{ in, want string }{
		{"", ""},
		{"gzip", "gzip"},
		{"deflate", "deflate"},
		{"gzip, deflate, br", "gzip"},
		{"deflate, gzip", "gzip"}, // tie: gzip, as Node's preference order
		{"br", ""},
		{"identity", ""},
		{"*", "gzip"},
		{"gzip;q=0, deflate", "deflate"},
		{"gzip;q=0.5, deflate;q=0.8", "deflate"},
		{"GZIP ; Q=1.0", "gzip"},
		{"*;q=0", ""},
		{"*, gzip;q=0", "deflate"},
		{"gzip;q=0.001", "gzip"},
		{"gzip;q=abc", ""},
		{"gzip;q=2", ""},
		{"x-gzip", "gzip"},
		{" , ;;, gzip ;level=1", "gzip"},
	}
	for _, c := range cases {
		if got := pickEncoding([]byte(c.in)); got != c.want {
			t.Errorf("pickEncoding(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func FuzzPickEncoding(f *testing.F) {
	for _, s := range []string{"gzip", "gzip;q=0.5, deflate;q=0.8", "*;q=0", "deflate;q=1.000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		switch pickEncoding([]byte(s)) {
		case "", encodingGzip, encodingDeflate:
		default:
			t.Fatal("unknown coding")
		}
	})
}

// getEncoded does a polling GET with an Accept-Encoding and returns the
// decoded body and the Content-Encoding.
func getEncoded(t *testing.T, url, accept string) (string, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Accept-Encoding", accept) // set by hand: the client will not decode
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	enc := resp.Header.Get("Content-Encoding")
	var r io.Reader = bytes.NewReader(raw)
	switch enc {
	case "gzip":
		zr, err := gzip.NewReader(r)
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	case "deflate":
		zr, err := zlib.NewReader(r)
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	}
	body, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("decoding %s: %v", enc, err)
	}
	if enc != "" && len(body) > 100 && len(raw) >= len(body) {
		t.Errorf("%s did not shrink %d bytes", enc, len(body))
	}
	return string(body), enc
}

func TestPollingCompression(t *testing.T) {
	big := strings.Repeat("compress me ", 200) // 2400 bytes
	cases := []struct {
		name      string
		threshold int
		msg       string
		accept    string
		wantEnc   string
	}{
		{"gzip", 0, big, "gzip, deflate", "gzip"},
		{"deflate", 0, big, "deflate", "deflate"},
		{"refused", 0, big, "gzip;q=0", ""},
		{"identity", 0, big, "identity", ""},
		{"below threshold", 0, "small", "gzip", ""},
		{"custom threshold", 10, "just over ten", "gzip", "gzip"},
		{"disabled", -1, big, "gzip", ""},
	}
	for _, c := range cases {
		cfg := suiteConfig()
		cfg.PingInterval = 5 * time.Second
		cfg.HTTPCompressionThreshold = c.threshold
		_, base := startEcho(t, cfg)
		sid := handshakePolling(t, base, eioPath)
		url := base + eioPath + "?EIO=4&transport=polling&sid=" + sid
		if code, _, _ := httpDo(t, "POST", url, "4"+c.msg); code != 200 {
			t.Fatalf("%s: POST %d", c.name, code)
		}
		body, enc := getEncoded(t, url, c.accept)
		if body != "4"+c.msg || enc != c.wantEnc {
			t.Errorf("%s: encoding %q (want %q), body ok=%v", c.name, enc, c.wantEnc, body == "4"+c.msg)
		}
	}
}

// A polling response is compressed when at least one of its packets allows
// it (Node): all NoCompress messages go out plain, one ordinary message
// among them makes the whole payload compressed.
func TestPollingCompressionNoCompress(t *testing.T) {
	big := strings.Repeat("compress me ", 200)
	cases := []struct {
		name    string
		msgs    []Message
		wantEnc string
	}{
		{"all plain", []Message{{Data: []byte(big), NoCompress: true}, {Data: []byte(big), NoCompress: true}}, ""},
		{"one compressible", []Message{{Data: []byte(big), NoCompress: true}, {Data: []byte("x")}}, "gzip"},
	}
	for _, c := range cases {
		cfg := suiteConfig()
		cfg.PingInterval = 5 * time.Second
		socks := make(chan *Socket, 1)
		_, base := startServer(t, cfg, func(srv *Server) {
			srv.OnConnection(func(s *Socket) { socks <- s })
		})
		sid := handshakePolling(t, base, eioPath)
		s := <-socks
		s.Send(c.msgs...)
		url := base + eioPath + "?EIO=4&transport=polling&sid=" + sid
		body, enc := getEncoded(t, url, "gzip")
		if enc != c.wantEnc || !strings.HasPrefix(body, "4"+big) {
			t.Errorf("%s: encoding %q, want %q", c.name, enc, c.wantEnc)
		}
	}
}
