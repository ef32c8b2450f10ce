// Package emitter sends Socket.IO broadcasts and cluster commands through
// Redis without running a server, like Node's @socket.io/redis-emitter 5:
// any Go backend can reach the clients of sio-fast nodes (adapter/redis)
// and of Node nodes (@socket.io/redis-adapter) on the same Redis.
//
//	e := emitter.New(client, emitter.Options{})
//	err := e.To("room1").Emit(ctx, "hello", "world", map[string]int{"a": 1})
//	err = e.Of("/admin").In("room2").DisconnectSockets(ctx, true)
//
// The bytes are those of the Node emitter (features.md 2.2): broadcasts as
// MessagePack [ "emitter", {type: 2, data, nsp}, {rooms, flags, except} ]
// on key#nsp# (or key#nsp#room# for exactly one room), commands as JSON on
// key-request#nsp#. As in Node, serverSideEmit takes no acknowledgement.
//
// An Emitter and its Operators are immutable values, safe from any
// goroutine. Each call publishes at once and returns Redis's error, if
// any; it blocks for one round trip (bounded by ctx).
package emitter
