// Package hist is a log-linear latency histogram with about 3% relative
// precision, fixed memory (1,920 buckets) and lock-free recording.
//
// # Concurrency
//
// Record, Reset and the read methods may be called from any goroutine at any
// time: buckets are atomic counters. A reading taken while others record is
// a consistent-enough snapshot for progress output; take final figures after
// recording has stopped.
package hist
