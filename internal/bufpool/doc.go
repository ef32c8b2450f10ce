// Package bufpool is the one byte-buffer pool shared by every sio-fast package.
//
// It is a thin wrapper over github.com/valyala/bytebufferpool. Sharing a single
// pool (instead of one sync.Pool per package) lets buffers freed by one layer,
// for example the WebSocket reassembly buffer in internal/wsframe, be reused by
// another, for example the Engine.IO packet encoder, and lets bytebufferpool
// calibrate its default and maximum sizes on the whole process's traffic.
//
// Concurrency: Get and Put are safe from any goroutine. A *Buffer obtained from
// Get is owned by the caller until it is handed back with Put; it must not be
// touched afterwards, and Put must be called at most once per Get.
package bufpool
