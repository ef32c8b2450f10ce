package socketio

import (
	"embed"
	"strings"
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
// request target (a query string is ignored) and ifNoneMatch the
// If-None-Match header. ok is false when the path is not one of the bundle
// files under Config.Path (or serving is disabled): the request then belongs
// to the engine. Otherwise status is 200 with the file, or 304 without body
// when ifNoneMatch equals the ETag in strong or weak (W/"...") form. The body
// is the embedded file itself and must not be modified. Any goroutine; the
// HTTP layer adds CORS headers and compression.
func (srv *Server) ServeBundle(reqPath, ifNoneMatch string) (status int, headers [][2]string, body []byte, ok bool) {
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
	return 200, [][2]string{
		{"Content-Type", ctype},
		{"Cache-Control", "public, max-age=0"},
		{"ETag", etag},
	}, b, true
}
