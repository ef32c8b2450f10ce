package socketio

import (
	"embed"
	"strings"
	"sync"

	"github.com/sio-fast/sio-fast/engineio"
)

//go:embed client-dist/*.js client-dist/*.map client-dist/VERSION
var clientDist embed.FS

// ClientVersion is the version of the embedded socket.io-client bundle,
// used (quoted) as the ETag of the bundle files.
var ClientVersion = strings.TrimSpace(mustRead("client-dist/VERSION"))

func mustRead(name string) string {
	b, err := clientDist.ReadFile(name)
	if err != nil {
		panic("socketio: embedded client bundle missing: " + err.Error())
	}
	return string(b)
}

// bundleFiles are the only names served (features.md 1.11).
var bundleFiles = map[string]bool{
	"socket.io.js": true, "socket.io.min.js": true, "socket.io.esm.min.js": true, "socket.io.msgpack.min.js": true,
	"socket.io.js.map": true, "socket.io.min.js.map": true, "socket.io.esm.min.js.map": true, "socket.io.msgpack.min.js.map": true,
}

// ServeBundle answers a request for the client bundle. reqPath is the
// request target (a query string is ignored), ifNoneMatch and
// acceptEncoding the request's If-None-Match and Accept-Encoding headers.
// ok is false when the path is not one of the bundle files under
// Config.Path (or serving is disabled): the request then belongs to the
// engine. Otherwise status is 200 with the file, or 304 without body when
// ifNoneMatch equals the ETag in strong or weak (W/"...") form. The file is
// gzip- or deflate-compressed when acceptEncoding allows it (as Node's
// serveClient; compressed once, then kept), with Content-Encoding and
// Vary: Accept-Encoding. The body is shared and must not be modified. CORS
// headers are the HTTP layer's: NewEngine's engine adds its Config.CORS
// ones. Any goroutine.
func (srv *Server) ServeBundle(reqPath, ifNoneMatch, acceptEncoding string) (status int, headers [][2]string, body []byte, ok bool) {
	if srv.cfg.DisableServeClient {
		return 0, nil, nil, false
	}
	p, _, _ := strings.Cut(reqPath, "?")
	name, found := strings.CutPrefix(p, srv.cfg.Path+"/")
	if !found || !bundleFiles[name] {
		return 0, nil, nil, false
	}
	etag := `"` + ClientVersion + `"`
	if ifNoneMatch == etag || ifNoneMatch == "W/"+etag {
		return 304, nil, nil, true
	}
	b, err := clientDist.ReadFile("client-dist/" + name)
	if err != nil {
		return 0, nil, nil, false
	}
	ctype := "application/javascript; charset=utf-8"
	if strings.HasSuffix(name, ".map") {
		ctype = "application/json; charset=utf-8"
	}
	headers = [][2]string{
		{"Content-Type", ctype},
		{"Cache-Control", "public, max-age=0"},
		{"ETag", etag},
		{"Vary", "Accept-Encoding"},
	}
	if enc := engineio.NegotiateEncoding(acceptEncoding); enc != "" {
		b = compressedBundle(name, enc, b)
		headers = append(headers, [2]string{"Content-Encoding", enc})
	}
	return 200, headers, b, true
}

// compressedBundles holds each bundle file compressed per coding, made on
// first request: "gzip/socket.io.min.js" → bytes.
var compressedBundles sync.Map

func compressedBundle(name, enc string, b []byte) []byte {
	key := enc + "/" + name
	if z, ok := compressedBundles.Load(key); ok {
		return z.([]byte)
	}
	z, _ := compressedBundles.LoadOrStore(key, engineio.Compress(enc, b))
	return z.([]byte)
}
