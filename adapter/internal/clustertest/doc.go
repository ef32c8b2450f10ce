// Package clustertest runs the sio-fast nodes of the cluster adapters'
// tests (adapter/redis, adapter/redisstreams): a node on a real
// redis-server with the adapter each test builds, its clients' room
// joins, and the waits for what crosses Redis asynchronously. Only tests
// import it. Every function may be called from the test's goroutine.
package clustertest
