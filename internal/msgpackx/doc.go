// Package msgpackx writes MessagePack in the forms notepack.io (the
// encoder of Node's socket.io-msgpack-parser and of the Redis adapters)
// produces, and transcodes socket.io's JSON text to it: AppendJSON is the
// one JSON → MessagePack transcoder of the msgpack parser
// (socketio/parser/msgpack) and of the cluster wire formats
// (internal/redisproto). Standard library only; pure functions, safe from
// any goroutine.
package msgpackx
