// Package load runs the scenarios of the bench contract (idle, fanout,
// fanout-max, room, echo) against one server with a wsclient.Engine and
// reports one Result per scenario. A cluster run (Config.Nodes) splits the
// clients over several nodes of one cluster, one Engine per node, and adds
// per-node figures, those of the deliveries that crossed the cluster, and
// the cluster's Redis traffic and CPU (bench/internal/redisinfo).
//
// Every published message carries {"t":<ns since start>,"p":"<seq>xxx…"}:
// t gives the latency on the monotonic clock, the sequence number at the head
// of p identifies the message, so deliveries are counted per message in a
// ring of atomic counters (exact loss and duplicate counts, and the in-flight
// window of the "as fast as the server absorbs" mode).
//
// # Concurrency
//
// Run is called from one goroutine, which also publishes. Deliveries are
// accounted on the wsclient worker goroutines through atomics only.
package load
