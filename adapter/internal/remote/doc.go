// Package remote holds what the cluster adapters (adapter/redis,
// adapter/redisstreams) share: about sockets of other nodes, the JSON shape
// of a socket in a fetchSockets answer ({id, handshake, rooms, data}, as
// Node's adapters send it) and the proxy FetchSockets returns for one;
// random ids; the message counters behind their Stats; the registry of a
// node's requests waiting for the other nodes' answers, how a
// fetchSockets starts and how a serverSideEmit with ack runs. Safe from
// any goroutine.
package remote
