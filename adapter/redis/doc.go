// Package redis joins sio-fast nodes into a cluster over Redis Pub/Sub,
// wire-compatible with Node's @socket.io/redis-adapter 8 (classic Pub/Sub,
// features.md 2.1): sio-fast and Node nodes can serve one application side
// by side, and @socket.io/redis-emitter (or this module's emitter package)
// reaches both.
//
//	client := goredis.NewClient(&goredis.Options{Addr: "127.0.0.1:6379"})
//	sio := socketio.NewServer(socketio.Config{NewAdapter: redis.New(client, redis.Options{})})
//
// Every namespace gets an Adapter that wraps a socketio.MemoryAdapter for
// its local sockets. A broadcast is published once (MessagePack, on the
// namespace channel or, when it targets exactly one room, on that room's
// channel) and delivered locally; a broadcast received from another node
// is decoded once and handed to the local fan-out, which encodes it once
// for all local recipients. Acknowledgements, fetchSockets, socketsJoin,
// socketsLeave, disconnectSockets, serverSideEmit and allRooms travel as
// the requests and responses of the Node adapter, with its error strings.
//
// NewSharded is Node's createShardedAdapter (features.md 2.3) on Redis ≥ 7
// sharded Pub/Sub: socket.io-adapter's ClusterAdapter messages {uid, nsp,
// type, data}, JSON unless they carry binary (then MessagePack), on
// key#nsp# and each node's key#nsp#uid#, plus in the dynamic subscription
// modes a channel per room (public rooms, or every room with
// dynamic-private) subscribed while the room exists on the node. As in
// Node, that SSUBSCRIBE goes out after the join, without delaying it: a
// broadcast to the room that another node publishes before Redis has the
// subscription does not reach this node's new members. Server
// count is PUBSUB SHARDNUMSUB key#nsp#. Channels are (un)subscribed on one
// connection, so with Redis Cluster every namespace's channels must live on
// one shard (a single-shard deployment or a standalone Redis).
//
// Goroutines: per namespace, one goroutine receives (and handles every
// message in arrival order; with Options.BatchWindow set, in batches when
// they come faster than it), one publishes (pipelining what queued up), one
// refreshes the server count every second. Nothing the socketio package
// calls blocks on the network except the methods documented as blocking
// (FetchSockets, AllRooms), which wait at most Options.RequestsTimeout.
//
// Faults: when Redis is unreachable the node keeps serving its local
// clients; the first failure is logged once, the receiver reconnects with
// a capped exponential backoff and resubscribes, and a line is logged when
// it is back. Pub/Sub keeps nothing: what other nodes published meanwhile
// is lost for this node, and what this node published meanwhile is dropped
// (counted in Stats). Requests time out as in Node. Malformed messages are
// dropped and counted, never fatal.
package redis
