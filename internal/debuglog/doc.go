// Package debuglog is the Go form of Node's DEBUG=socket.io*: scoped debug
// records that every layer can emit and that cost nothing while off.
//
// The environment variable SIO_DEBUG lists the scopes to turn on, separated
// by commas or spaces: loop, http, engine, socket, adapter, or * for all; a
// leading - turns a scope off again ("*,-loop"). Records are slog records
// at debug level with the attribute scope=<name>, plus sid (the Engine.IO
// session id) and nsp (the namespace) where they apply. They go to stderr
// unless SetLogger names another logger.
//
// Cost: a call site is written
//
//	if debuglog.On(debuglog.Engine) {
//		debuglog.Log(debuglog.Engine, "handshake", slog.String("sid", id))
//	}
//
// so that while the scope is off nothing is built: On is one atomic load
// and a mask (BenchmarkOff). The package uses the standard library only, so
// every layer, loop included, may import it.
//
// Concurrency: every function is safe from any goroutine.
package debuglog
