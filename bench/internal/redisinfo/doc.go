// Package redisinfo reads a Redis server's traffic and CPU counters
// (INFO: total_net_input_bytes, total_net_output_bytes, used_cpu_user,
// used_cpu_sys) and how many messages were published (the PUBLISH,
// SPUBLISH and XADD calls of commandstats), so that the load generator can
// say how many bytes and how much Redis CPU a cluster broadcast costs. Standard library only: one
// inline command over a short-lived TCP connection, no client library.
//
// # Concurrency
//
// Read is stateless and safe from any goroutine.
package redisinfo
