// Package wsecho is a WebSocket echo server built directly on loop, httpx
// and wsframe, with no Engine.IO on top. It exists to measure and test the
// foundation on its own: the npm ws interop test drives it, and
// `sio-fast -mode ws-echo` serves it for the per-connection memory and
// upgrade-rate measurements.
//
// All methods of Handler run on the connection's loop goroutine, as
// loop.Handler requires.
package wsecho
