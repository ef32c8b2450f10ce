package redistest

import (
	"bytes"
	"os/exec"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// RunPaced runs the command args n times, one every millisecond, from
// another process (redis-cli -r n -i 0.001), so that a benchmark measures
// the receiving side's CPU alone and the messages arrive spread out as in
// a cluster rather than in one burst. With stdin non-nil it is the last
// argument (redis-cli -x). Skips tb when redis-cli is not installed.
func (s *Server) RunPaced(tb testing.TB, stdin []byte, n int, args ...string) {
	tb.Helper()
	cli, err := exec.LookPath("redis-cli")
	if err != nil {
		tb.Skip("redis-cli not installed (scripts/ci-setup.sh installs redis-server with it)")
	}
	flags := []string{"-p", strconv.Itoa(s.Port), "-r", strconv.Itoa(n), "-i", "0.001"}
	if stdin != nil {
		flags = append(flags, "-x")
	}
	c := exec.Command(cli, append(flags, args...)...)
	var stderr bytes.Buffer
	c.Stderr = &stderr // stdout (a reply per command) stays nil, /dev/null: a pipe would wake the measured process
	if stdin != nil {
		c.Stdin = bytes.NewReader(stdin)
	}
	if err := c.Run(); err != nil {
		tb.Fatalf("redis-cli: %v: %s", err, stderr.Bytes())
	}
}

// ProcessCPU is the CPU time (user + system) this process used so far.
func ProcessCPU(tb testing.TB) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
