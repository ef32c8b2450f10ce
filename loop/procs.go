package loop

import (
	"log/slog"
	"runtime"
)

// ensureSpareProc raises GOMAXPROCS to loops+1 when it is lower.
//
// Each gnet loop is a goroutine locked to its thread that blocks in
// epoll_wait through an ordinary system call, and Go takes a P back from a
// thread blocked in a system call only when sysmon notices, 20 µs to 10 ms
// later. With no P to spare, the acceptor, the goroutines handing
// connections to gnet and the ticker wait for that every time a loop goes to
// sleep: on one core (GOMAXPROCS=1, one loop) the handshake latency doubles
// and the connection rate drops by about a fifth (measured side by side:
// 6,000 -> 7,300 Socket.IO connections/s, fan-out and echo unchanged). One
// P more than there are loops keeps them runnable; the operating system
// still shares the cores.
//
// The change is process-wide, so it is logged, but at Debug: a library
// must not write to the application's log (slog.Default unless WithLogger)
// at Info for a setting it chose.
func ensureSpareProc(loops int, logger *slog.Logger) {
	if cur := runtime.GOMAXPROCS(0); cur < loops+1 {
		runtime.GOMAXPROCS(loops + 1)
		logger.Debug("loop: GOMAXPROCS raised so the acceptor never waits for a loop's processor",
			"from", cur, "to", loops+1)
	}
}
