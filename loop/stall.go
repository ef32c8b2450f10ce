package loop

import (
	"time"

	"golang.org/x/sys/unix"
)

// Write-stall deadline.
//
// A client that stops reading leaves its bytes in the kernel's send queue
// and then in gnet's buffer. The queue cap (WithMaxQueuedBytes) only acts
// once enough is written to fill it; a quiet connection would keep its
// kernel memory until the heartbeat gives up. The stall deadline closes it
// sooner: a connection whose queued bytes make no progress for the deadline
// is closed with ErrSlowConsumer, as the cap does.
//
// The check costs nothing per write: it rides on the backlog list, which
// already holds exactly the connections with bytes in gnet (the kernel
// refused some), and on the loop's tick, which already walks that list. A
// connection enters the list at the flush that left bytes behind; each
// tick reads gnet's count once per listed connection and the clock once.
//
// Progress means the count fell below the lowest value seen since the
// connection was last seen making progress. While bytes wait in gnet, gnet
// appends every new write behind them, so a count that never falls means the
// kernel took nothing, or took less than was added: either way the client
// is not keeping up, and its queue would only grow until the cap.

// defaultStallTimeout: see WithWriteStallTimeout. Long enough for a healthy
// client behind a briefly lossy link: four retransmission timeouts in a row
// from Linux's 200 ms minimum (0.2+0.4+0.8+1.6 s) fit in it. Short enough to
// bound what a stalled client costs: its SO_SNDBUF in the kernel plus at most
// 3 s of its traffic in gnet's buffer (docs/benchmarks.md: with 100 stalled
// clients at 50 KiB/s each, 1 s kept the server at 28 MiB, 5 s at 64 MiB).
// Centrifugo uses 1 s.
const defaultStallTimeout = 3 * time.Second

// defaultSendBuffer: see WithSendBuffer.
const defaultSendBuffer = 64 << 10

// resetOnClose makes the coming close of a slow consumer's socket abortive
// (SO_LINGER 0: the kernel sends RST and frees the send queue at once). A
// plain close would leave the unread bytes in the kernel, retransmitted to a
// peer that does not read until the orphan timeout, which is the memory
// the close was meant to give back.
func resetOnClose(t transport) {
	if fd := t.Fd(); fd >= 0 {
		_ = unix.SetsockoptLinger(fd, unix.SOL_SOCKET, unix.SO_LINGER, &unix.Linger{Onoff: 1, Linger: 0})
	}
}

// backlogEntry is a connection with bytes in gnet, and what the stall check
// knows of it.
type backlogEntry struct {
	c *Conn
	// low is the lowest count seen since since; since is the clock (server
	// time, ns) when the count last fell, 0 until the first tick sees it.
	low   int
	since int64
}

// markBacklogged lists c as having bytes in gnet. Loop goroutine only.
func (l *Loop) markBacklogged(c *Conn) {
	c.backlog.Store(true)
	l.backlogged = append(l.backlogged, backlogEntry{c: c})
	l.needNextTick()
}

// checkBacklogged clears the backlog flag of the connections whose bytes
// have all left, and closes those that made no progress for the stall
// deadline.
func (l *Loop) checkBacklogged() {
	now := max(l.srv.clock(), 1)
	stall := int64(l.srv.opts.stallTimeout)
	keep := l.backlogged[:0]
	for _, e := range l.backlogged {
		c := e.c
		q := 0
		if !c.has(connClosed) {
			q = c.t.OutboundBuffered()
		}
		if q == 0 {
			c.backlog.Store(false)
			continue
		}
		switch {
		case e.since == 0 || q < e.low:
			e.low, e.since = q, now
		case stall > 0 && now-e.since >= stall:
			c.backlog.Store(false)
			l.stats.stallCloses.Add(1)
			c.CloseWithError(ErrSlowConsumer)
			continue
		}
		keep = append(keep, e)
	}
	clear(l.backlogged[len(keep):])
	l.backlogged = keep
}
