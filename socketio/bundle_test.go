package socketio

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"io"
	"testing"
)

func TestServeBundle(t *testing.T) {
	srv := NewServer(Config{})
	etag := `"` + ClientVersion + `"`
	tests := []struct {
		path, inm string
		status    int
		ok        bool
		ctype     string
	}{
		{"/socket.io/socket.io.js", "", 200, true, "application/javascript; charset=utf-8"},
		{"/socket.io/socket.io.min.js?v=1", "", 200, true, "application/javascript; charset=utf-8"},
		{"/socket.io/socket.io.esm.min.js", "", 200, true, "application/javascript; charset=utf-8"},
		{"/socket.io/socket.io.msgpack.min.js.map", "", 200, true, "application/json; charset=utf-8"},
		{"/socket.io/socket.io.js", etag, 304, true, ""},
		{"/socket.io/socket.io.js", "W/" + etag, 304, true, ""},
		{"/socket.io/socket.io.js", `"0.0.0"`, 200, true, "application/javascript; charset=utf-8"},
		{"/socket.io/other.js", "", 0, false, ""},
		{"/socket.io/?EIO=4&transport=polling", "", 0, false, ""},
		{"/elsewhere/socket.io.js", "", 0, false, ""},
	}
	for _, tc := range tests {
		status, hdrs, body, ok := srv.ServeBundle(tc.path, tc.inm, "")
		if status != tc.status || ok != tc.ok {
			t.Fatalf("%s %q: %d %v", tc.path, tc.inm, status, ok)
		}
		if status == 200 {
			if len(body) < 1000 || hdrs[0][1] != tc.ctype || hdrs[2] != [2]string{"ETag", etag} ||
				hdrs[1] != [2]string{"Cache-Control", "public, max-age=0"} || header(hdrs, "Content-Encoding") != "" {
				t.Fatalf("%s: %v len %d", tc.path, hdrs, len(body))
			}
		}
		if status == 304 && (body != nil || hdrs != nil) {
			t.Fatal("304 with body or headers")
		}
	}
	if ClientVersion == "" || ClientVersion[0] != '4' {
		t.Fatalf("version %q", ClientVersion)
	}
	off := NewServer(Config{DisableServeClient: true, Path: "/io/"})
	if _, _, _, ok := off.ServeBundle("/io/socket.io.js", "", "gzip"); ok {
		t.Fatal("served while disabled")
	}
}

// The bundle is compressed per Accept-Encoding as Node's serveClient does
// (gzip preferred on a tie, q=0 refuses), and the compressed copy is made
// once.
func TestServeBundleCompression(t *testing.T) {
	srv := NewServer(Config{})
	raw, err := clientDist.ReadFile("client-dist/socket.io.js")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ accept, enc string }{
		{"", ""}, {"identity", ""}, {"br", ""}, {"gzip;q=0, deflate;q=0", ""},
		{"gzip, deflate, br", "gzip"}, {"deflate", "deflate"}, {"gzip;q=0.5, deflate", "deflate"}, {"*", "gzip"},
	} {
		status, hdrs, body, ok := srv.ServeBundle("/socket.io/socket.io.js", "", tc.accept)
		if !ok || status != 200 || header(hdrs, "Content-Encoding") != tc.enc || header(hdrs, "Vary") != "Accept-Encoding" {
			t.Fatalf("Accept-Encoding %q: %d %v", tc.accept, status, hdrs)
		}
		got := decode(t, tc.enc, body)
		if !bytes.Equal(got, raw) {
			t.Fatalf("Accept-Encoding %q: %d bytes decoded, want the %d of the file", tc.accept, len(got), len(raw))
		}
		if tc.enc != "" {
			t.Logf("%s: %d bytes for %d", tc.enc, len(body), len(raw))
			if len(body) > len(raw)/2 {
				t.Fatalf("%s: %d bytes for %d: not compressed", tc.enc, len(body), len(raw))
			}
			_, _, again, _ := srv.ServeBundle("/socket.io/socket.io.js", "", tc.accept)
			if &again[0] != &body[0] {
				t.Fatalf("%s: compressed again on the second request", tc.enc)
			}
		}
	}
}

func header(hdrs [][2]string, name string) string {
	for _, kv := range hdrs {
		if kv[0] == name {
			return kv[1]
		}
	}
	return ""
}

// decode undoes a Content-Encoding (gzip, deflate = zlib, "" = identity).
func decode(t testing.TB, enc string, body []byte) []byte {
	t.Helper()
	var r io.Reader
	var err error
	switch enc {
	case "":
		return body
	case "gzip":
		r, err = gzip.NewReader(bytes.NewReader(body))
	case "deflate":
		r, err = zlib.NewReader(bytes.NewReader(body))
	}
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("%s: %v", enc, err)
	}
	return out
}
