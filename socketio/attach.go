package socketio

import (
	"net/http"

	"github.com/sio-fast/sio-fast/engineio"
)

// NewEngine returns the Engine.IO server that carries srv: mounted at srv's
// path, handing every new session to srv and serving the client bundle
// under the path (unless Config.DisableServeClient). Pass the result to
// loop.Serve. Fields of eio left empty take their defaults; Path and
// Intercept are set here. Safe from any goroutine, before serving.
func (srv *Server) NewEngine(eio engineio.Config) *engineio.Server {
	eio.Path = srv.Path() + "/"
	eio.Intercept = func(r *engineio.Request) (int, http.Header, []byte, bool) {
		status, hdrs, body, ok := srv.ServeBundle(r.URL(), r.Header().Get("If-None-Match"), r.Header().Get("Accept-Encoding"))
		if !ok {
			return 0, nil, nil, false
		}
		h := make(http.Header, len(hdrs))
		for _, kv := range hdrs {
			h.Set(kv[0], kv[1])
		}
		return status, h, body, true
	}
	e := engineio.NewServer(eio)
	e.OnConnection(func(s *engineio.Socket) { srv.HandleEngineSocket(s) })
	return e
}
