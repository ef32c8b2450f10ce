package socketio

import (
	"log/slog"

	"github.com/sio-fast/sio-fast/internal/debuglog"
)

// debugSocket emits a socket-scope debug record about s (SIO_DEBUG=socket)
// with the engine session id, the namespace and the socket id. Call it
// only after debuglog.On(debuglog.Socket), so that nothing is built while
// the scope is off.
func debugSocket(s *Socket, msg string, attrs ...slog.Attr) {
	debuglog.Log(debuglog.Socket, msg, append([]slog.Attr{
		slog.String("sid", s.conn.es.ID()), slog.String("nsp", s.nsp.name), slog.String("socket", s.id),
	}, attrs...)...)
}

// debugAdapter emits an adapter-scope debug record for namespace nsp
// (SIO_DEBUG=adapter); same rule as debugSocket.
func debugAdapter(nsp *Namespace, msg string, attrs ...slog.Attr) {
	debuglog.Log(debuglog.Adapter, msg, append([]slog.Attr{slog.String("nsp", nsp.name)}, attrs...)...)
}
