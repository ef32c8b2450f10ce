package socketio

import "testing"

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
		status, hdrs, body, ok := srv.ServeBundle(tc.path, tc.inm)
		if status != tc.status || ok != tc.ok {
			t.Fatalf("%s %q: %d %v", tc.path, tc.inm, status, ok)
		}
		if status == 200 {
			if len(body) < 1000 || hdrs[0][1] != tc.ctype || hdrs[2] != [2]string{"ETag", etag} ||
				hdrs[1] != [2]string{"Cache-Control", "public, max-age=0"} {
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
	if _, _, _, ok := off.ServeBundle("/io/socket.io.js", ""); ok {
		t.Fatal("served while disabled")
	}
}
