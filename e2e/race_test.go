//go:build race

package e2e

// The binary under test is built with -race when the tests are, so that it
// reuses the race-built packages `go test -race` just compiled and reports
// data races of the real server too.
func init() { raceEnabled = true }
