// Package redisstreams joins sio-fast nodes into a cluster over a Redis
// stream, wire-compatible with Node's @socket.io/redis-streams-adapter
// 0.3 (features.md 2.4), with connection state recovery across nodes: a
// client whose connection dropped can reconnect to any node within
// Recovery.MaxDisconnectionDuration and get its id, rooms, data and every
// packet it missed.
//
//	client := goredis.NewClient(&goredis.Options{Addr: "127.0.0.1:6379"})
//	sio := socketio.NewServer(socketio.Config{
//		NewAdapter: redisstreams.New(client, redisstreams.Options{}),
//		Recovery:   socketio.DefaultRecovery(),
//	})
//
// Durable messages (broadcasts without ack, socketsJoin, socketsLeave,
// disconnectSockets) are entries of the stream "socket.io" (XADD MAXLEN ~
// 10000, fields uid, nsp, type, data: JSON, or base64 MessagePack when
// binary); every node reads the stream with XREAD BLOCK and fans each
// broadcast out once, with the entry id appended as the recovery offset.
// This node also applies its own entries when it reads them back (Node
// applies them right after XADD): every node then delivers in stream
// order, which lets a restore switch from replaying the stream to live
// delivery with no gap and no duplicate. Ephemeral messages (broadcasts
// with ack, fetchSockets, serverSideEmit) and all responses go over
// Pub/Sub, MessagePack-encoded: socket.io#<nsp># and socket.io#<nsp>#<uid>#.
//
// Sessions are stored as Node stores them (SET sio:session:<pid>
// base64(MessagePack {sid, pid, rooms, data}) PX <window>) and restored
// with MULTI GET+DEL and XRANGE from the offset, so Node and sio-fast
// nodes restore each other's sessions. A restored session's Data holds
// generic JSON values (map[string]any, []any, float64...).
//
// Goroutines: per namespace, one reads the stream (and applies every entry
// in order) on a client of its own copied from the given one's options,
// one receives Pub/Sub, one writes (pipelining what queued up); a restore
// runs on a goroutine of its own. Close ends them all before it returns,
// the blocked XREAD included, and leaves the given client open. Nothing
// the socketio package calls blocks on the network except FetchSockets
// and ServerCount.
//
// Faults: when Redis is unreachable the node keeps serving its local
// clients (local broadcasts only); writes fail and are counted (a
// broadcast is then lost for every node, this one included, as with Node's
// adapter), the reader logs once, retries with a capped backoff and
// resumes after the last entry it handled, so entries that Redis kept are
// delivered late rather than lost. Malformed entries and messages are
// dropped and counted (Stats.Dropped), never fatal.
package redisstreams
