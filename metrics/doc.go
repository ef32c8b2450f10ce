// Package metrics exposes a sio-fast server to Prometheus
// (github.com/prometheus/client_golang). Gauges and the traffic counters
// are read when scraped from counters the core keeps anyway (loop.Stats,
// Namespace.NumSockets, engine sessions, stalls), so the hot paths pay
// nothing for them; the event counters (connects, disconnects by reason,
// auth refusals, API publishes and their fan-out latency) are updated where
// those events happen, with label children resolved ahead where the labels
// are known, without allocating.
//
// Goroutines: New once; the Observe/Inc methods from any goroutine
// (handlers on loops, API handlers); Handler serves scrapes on net/http's
// goroutines. A nil *Metrics is valid and records nothing (metrics off).
package metrics
