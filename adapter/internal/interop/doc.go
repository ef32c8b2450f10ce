// Package interop is the sio-fast node's side of the mixed-cluster
// scripts (adapter/redis/interop/cluster.js,
// adapter/redisstreams/interop/cluster.js, which share cases.js here):
// the events their clients send to the sio-fast node, each running one
// cluster operation and acking its outcome. Only tests import it.
package interop
