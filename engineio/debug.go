package engineio

import (
	"log/slog"

	"github.com/sio-fast/sio-fast/internal/debuglog"
)

// debugEngine emits an engine-scope debug record about s (SIO_DEBUG=engine)
// with its session id and transport. Call it only after
// debuglog.On(debuglog.Engine), so that nothing is built while the scope is
// off.
func debugEngine(s *Socket, msg string, attrs ...slog.Attr) {
	debuglog.Log(debuglog.Engine, msg, append([]slog.Attr{
		slog.String("sid", s.id), slog.String("transport", s.Transport()),
	}, attrs...)...)
}
