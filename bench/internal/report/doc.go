// Package report turns load.Result lines into a Markdown table (with
// sio-fast's ratio to every other peer) and a self-contained HTML page with
// inline SVG bar charts (no external assets).
//
// # Concurrency
//
// Every function is pure and safe from any goroutine.
package report
