package debuglog_test

import (
	"log/slog"
	"os"

	"github.com/sio-fast/sio-fast/internal/debuglog"
)

// A guarded call site, with SIO_DEBUG=socket set through Enable.
func Example() {
	noTime := func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}
	debuglog.SetLogger(slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{Level: slog.LevelDebug, ReplaceAttr: noTime})))
	defer debuglog.SetLogger(nil)
	_ = debuglog.Enable("socket")
	defer func() { _ = debuglog.Enable("") }()

	for _, s := range []debuglog.Scope{debuglog.Engine, debuglog.Socket} {
		if debuglog.On(s) { // nothing is built for a scope that is off
			debuglog.Log(s, "connect", slog.String("sid", "zR0ZLd8dAI1cDz4tAAAB"), slog.String("nsp", "/chat"))
		}
	}
	// Output:
	// level=DEBUG msg=connect scope=socket sid=zR0ZLd8dAI1cDz4tAAAB nsp=/chat
}
