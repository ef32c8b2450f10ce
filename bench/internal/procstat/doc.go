// Package procstat reads a process's memory (VmRSS, Pss) and CPU time
// (utime+stime) from /proc, and the load generator's own CPU time from
// getrusage. Linux only.
//
// # Concurrency
//
// Every function is stateless and safe from any goroutine.
package procstat
