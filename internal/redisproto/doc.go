// Package redisproto is the wire codec shared by the Redis adapter
// (adapter/redis) and the emitter (emitter): the channel names and message
// shapes of @socket.io/redis-adapter 8 and @socket.io/redis-emitter 5
// (features.md section 2), in notepack.io-compatible MessagePack and in
// JSON.
//
// Event arguments travel through sio-fast as JSON text with binary
// placeholders plus attachments (see socketio/parser); on Redis they are
// MessagePack with binary values as `bin`. AppendMsgpack and AppendJSON
// transcode between the two directly, keeping the order of object keys,
// without building a tree of Go values (AppendMsgpack is internal/msgpackx's
// transcoder, which the msgpack parser shares).
//
// Everything here is pure: no I/O, no goroutines, safe from any goroutine.
package redisproto
