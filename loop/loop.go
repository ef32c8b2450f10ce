package loop

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/panjf2000/gnet/v2"
)

// Loop is one event loop: a goroutine that owns a set of connections, their
// timers and a scratch arena. Use it to run work next to the connections it
// owns, such as one batch of a broadcast.
type Loop struct {
	srv *Server
	el  poster
	idx int

	// inbox is filled by any goroutine and drained by the loop. scheduled is
	// true while a drain is queued on gnet, so producers hand off at most one
	// task per loop however many items they add.
	mu        sync.Mutex
	inbox     []inboxItem
	spare     []inboxItem
	scheduled atomic.Bool
	drainTask drainRunnable

	stats loopStats // added to by the loop only (stats.go)

	// Loop goroutine only.
	dirty dirtyRing
	// dirtied and undirtied count the connections ever added to and taken
	// off dirty (in order), so flushWaiters know when what was dirty when
	// they came is flushed (AfterFlush).
	dirtied, undirtied uint64
	flushWaiters       []flushWaiter
	closing            []*Conn
	// backlogged are the connections whose backlog flag is set; each tick
	// clears the flag of those gnet has drained.
	backlogged []backlogEntry
	conns      connList
	wheel      wheel
	arena      []byte
	depth      int
	// carry holds the unconsumed input of connections with connCarry set:
	// those fed by a pipe or a stream, and adopted sockets until the bytes
	// read before their adoption are consumed.
	carry map[*Conn][]byte
	// flushQueued: an itemFlush is waiting in the inbox to continue a flush.
	flushQueued bool
	// wake is the loop's one runtime timer: it wakes the loop at the end of
	// the next non-empty fine slot of the wheel (armWake). wakeAt is the
	// clock time it is armed for, 0 when none. Both are nil/0 on Memory.
	wake   *time.Timer
	wakeAt int64
	// tickFrom is the first tick the ticker hands this loop (idleticks.go);
	// tickNeed is the loop's copy, so arming a timer reads no atomic, and
	// tickNeedAt its start in clock time.
	tickFrom   atomic.Int64
	tickNeed   int64
	tickNeedAt int64
	// turnClock caches the clock for one loop turn (0: not read yet): the
	// deadline checks of a fan-out read it once, not per recipient.
	turnClock int64
	tls       tlsBufs // buffers lent to TLS connections (tls.go)
	// settled is where every Home living on this loop points (home.go);
	// arriving counts the moves to this loop waiting for their fence.
	settled  homeAt
	arriving atomic.Int32
}

type inboxKind uint8

const (
	itemWrite inboxKind = iota
	itemTask
	itemClose
	itemTick
	itemFlush
	itemWake
	itemHome        // work for a Home (home.go)
	itemHomeForward // work for a Home queued on its old loop before a move
	itemHomeFence   // a Home's move: everything queued before was forwarded
	itemHomeArrive  // the fence reached the new loop
)

// flushBudget is how many connections one loop turn flushes. A fan-out to
// more is flushed over several turns, with the loop's I/O in between: the
// loop stays responsive, and broadcasts that arrive meanwhile join the
// frames still queued on the connections not yet flushed, so those leave
// together in one writev instead of one system call each.
const flushBudget = 1024

type inboxItem struct {
	kind inboxKind
	c    *Conn
	b    []byte
	fn   func()
	err  error
	home *Home
}

type drainRunnable struct{ l *Loop }

func (d drainRunnable) Run(context.Context) error {
	d.l.drain()
	return nil
}

// poster queues a task on the loop goroutine: gnet's EventLoop, or the
// in-memory loop of Memory.
type poster interface {
	Execute(ctx context.Context, r gnet.Runnable) error
}

func newLoop(srv *Server, el poster, idx int) *Loop {
	l := &Loop{srv: srv, el: el, idx: idx}
	l.settled.loop = l
	l.drainTask = drainRunnable{l}
	l.wheel.init(srv.opts.tick, srv.opts.precision, srv.ticks.Load())
	return l
}

// Index returns the loop's position, from 0 to the number of loops minus
// one. Safe from any goroutine.
func (l *Loop) Index() int { return l.idx }

// Execute runs fn on the loop goroutine, after everything queued on this loop
// before it (writes, tasks and closes from the same producer keep their
// order). It never blocks. Bytes that fn writes are flushed when the drain
// that runs it ends. Safe from any goroutine.
func (l *Loop) Execute(fn func()) { l.push(inboxItem{kind: itemTask, fn: fn}) }

// Arm arms t to fire d from now: never before, and at most about the
// timer precision after (WithTimerPrecision, 2 ms by default, plus the time
// the loop takes to wake up). Loop goroutine only; t then belongs to this
// loop until it fires or is stopped.
func (l *Loop) Arm(t *Timer, d time.Duration) {
	clock := l.srv.clock()
	l.arm(t, clock+int64(max(d, 0)), clock)
}

// ArmAt arms t to fire at deadline, a value of Timer.Deadline read on any
// loop of the same server (a timer moving with its Home). Loop goroutine
// only; t must not be armed on another loop.
func (l *Loop) ArmAt(t *Timer, deadline int64) {
	clock := l.srv.clock()
	l.arm(t, max(deadline, clock), clock)
}

// arm adds t to the wheel, caught up with the clock first, and makes sure
// the loop wakes or gets its tick in time for it.
func (l *Loop) arm(t *Timer, when, clock int64) {
	l.catchUp(clock)
	if !l.wheel.add(t, when) {
		l.needTickFor(when)
		return
	}
	if len(l.wheel.fine) == 1 {
		// A single fine slot has no wake-up: the next tick fires it.
		l.needNextTick()
		return
	}
	l.armWake()
}

// Due reports whether t is armed and its deadline has passed, though the
// wheel may not have fired it yet: code that observes a deadline (a request
// for a session whose heartbeat expired) checks it exactly, not at the
// wheel's granularity. The clock is read once per loop turn. Loop goroutine
// only (t's loop).
func (l *Loop) Due(t *Timer) bool {
	return t.wheel == &l.wheel && t.when <= l.now()
}

// FireIfDue fires t now, on the caller's stack, when it is Due, and reports
// whether it did. Loop goroutine only (t's loop).
func (l *Loop) FireIfDue(t *Timer) bool {
	if !l.Due(t) {
		return false
	}
	l.wheel.remove(t)
	t.run()
	return true
}

// now returns the clock, read once per loop turn.
func (l *Loop) now() int64 {
	if l.turnClock == 0 {
		l.turnClock = max(l.srv.clock(), 1)
	}
	return l.turnClock
}

// armWake makes sure the loop wakes up for the first non-empty fine slot of
// its wheel. Memory loops have no clock: their time moves with Tick only.
func (l *Loop) armWake() {
	next := l.wheel.nextWake()
	if next == 0 || (l.wakeAt != 0 && l.wakeAt <= next) || l.srv.start.IsZero() {
		return
	}
	l.wakeAt = next
	d := time.Duration(next - l.srv.clock())
	if l.wake == nil {
		l.wake = time.AfterFunc(d, l.onWake)
		return
	}
	l.wake.Reset(d)
}

// onWake runs on the runtime's timer goroutine.
func (l *Loop) onWake() { l.push(inboxItem{kind: itemWake}) }

// stopWake stops the runtime timer (the server is stopping). A wake-up
// that fires anyway finds the engine stopped and does nothing.
func (l *Loop) stopWake() {
	if l.wake != nil {
		l.wake.Stop()
	}
}

// Scratch returns n bytes of loop-owned memory that stay valid until the end
// of the current loop turn, after the flush. Use it to build per-connection
// messages passed to Conn.Write without allocating. Loop goroutine only.
func (l *Loop) Scratch(n int) []byte {
	if cap(l.arena)-len(l.arena) < n {
		size := 2 * cap(l.arena)
		if size < 64<<10 {
			size = 64 << 10
		}
		for size < n {
			size *= 2
		}
		// The old arena stays referenced by queued writes until they are
		// flushed, so it cannot be reused; let the GC take it afterwards.
		l.arena = make([]byte, 0, size)
	}
	start := len(l.arena)
	l.arena = l.arena[:start+n]
	return l.arena[start : start+n : start+n]
}

// NumConns returns the number of open connections on this loop. Loop
// goroutine only.
func (l *Loop) NumConns() int { return l.conns.n }

func (l *Loop) push(it inboxItem) {
	l.mu.Lock()
	l.inbox = append(l.inbox, it)
	l.mu.Unlock()
	l.schedule()
}

func (l *Loop) schedule() {
	if l.scheduled.Swap(true) {
		return
	}
	if err := l.el.Execute(context.Background(), l.drainTask); err != nil {
		// The engine is stopping: nothing will run any more.
		l.scheduled.Store(false)
	}
}

// drain runs on the loop: it processes every queued item in order, then
// flushes every connection that was written to.
func (l *Loop) drain() {
	l.enter()
	defer l.leave()
	l.scheduled.Store(false)
	l.mu.Lock()
	items := l.inbox
	l.inbox = l.spare[:0]
	l.mu.Unlock()
	for i := range items {
		l.runItem(&items[i])
		items[i] = inboxItem{}
	}
	l.spare = items[:0]
}

func (l *Loop) runItem(it *inboxItem) {
	switch it.kind {
	case itemWrite:
		l.stats.asyncWrites.Add(1)
		_ = it.c.Write(it.b)
	case itemTask:
		// No flush needed first: every write of a turn is queued on its
		// connection in order, whoever makes it.
		l.safely(nil, it.fn)
	case itemClose:
		it.c.CloseWithError(it.err)
	case itemTick:
		l.stats.ticks.Add(1)
		l.advanceTimers()
	case itemFlush:
		l.flushQueued = false // this drain's leave flushes the next share
	case itemWake:
		l.wakeAt = 0
		l.fireTimers()
		l.planTicks()
	default:
		l.runHomeItem(it)
	}
}

// safely runs fn and turns a panic into a log line and, when c is known, the
// close of that connection. The loop survives.
func (l *Loop) safely(c *Conn, fn func()) {
	defer func() {
		if r := recover(); r != nil {
			l.srv.opts.logger.Error("loop: recovered panic", slog.Any("panic", r), slog.Int("loop", l.idx))
			if c != nil {
				c.CloseWithError(ErrPanic)
			}
		}
	}()
	fn()
}

func (l *Loop) advanceTimers() {
	l.fireTimers()
	l.checkClosing()
	l.checkBacklogged()
	l.planTicks()
}

// fireTimers fires every timer due by now and arms the next wake-up.
func (l *Loop) fireTimers() {
	l.wheel.advance(l.srv.clock(), l.runTimer)
	l.armWake()
}

func (l *Loop) runTimer(t *Timer) { l.safely(nil, t.run) }

// enter and leave bracket every entry from gnet into the loop (callbacks
// and the inbox drain). gnet can re-enter (a failed write runs OnClose inside
// the write), so the turn ends only when the outermost entry leaves: only
// then is everything flushed and the scratch arena recycled.
// With WithBusyTime, the outermost enter and leave read the clock for
// Stats.Busy: two reads per turn, the first serving the turn's deadline
// checks (now).
func (l *Loop) enter() {
	if l.depth == 0 && l.srv.opts.busyTime {
		l.turnClock = max(l.srv.clock(), 1)
	}
	l.depth++
}

func (l *Loop) leave() {
	if l.depth > 1 {
		l.depth--
		return
	}
	l.flushSome()
	if l.dirty.n == 0 {
		l.arena = l.arena[:0]
	} else {
		// Queued writes still point into the arena: start a new one rather
		// than overwrite them.
		l.arena = nil
	}
	if l.srv.opts.busyTime {
		l.stats.busy.Add(l.srv.clock() - l.turnClock)
		l.stats.turns.Add(1)
	}
	l.turnClock = 0
	l.depth--
}

// flushSome flushes up to flushBudget dirty connections, oldest first, and
// queues a continuation when some remain.
func (l *Loop) flushSome() {
	// A flush can close a connection re-entrantly and that close can write to
	// other connections, so the list may grow while it is walked.
	n, bytes := 0, 0
	for ; l.dirty.n > 0 && n < flushBudget; n++ {
		bytes += l.dirty.oldest().flush()
		l.dirty.release()
	}
	if n > 0 {
		l.stats.flushes.Add(uint64(n))
		l.stats.bytesOut.Add(uint64(bytes))
	}
	l.undirtied += uint64(n)
	if len(l.flushWaiters) > 0 {
		l.runFlushWaiters() // they may write: dirty can grow
	}
	if l.dirty.n > 0 && !l.flushQueued {
		l.flushQueued = true
		l.push(inboxItem{kind: itemFlush})
	}
}

// checkClosing advances the connections in CloseAfterFlush: FIN once their
// bytes have left, a hard close when the grace period is over.
func (l *Loop) checkClosing() {
	keep := l.closing[:0]
	now := time.Now()
	for _, c := range l.closing {
		if c.has(connClosed) {
			continue
		}
		if now.After(c.shut.by) {
			_ = c.t.Close()
			continue
		}
		c.halfCloseIfFlushed()
		keep = append(keep, c)
	}
	for i := len(keep); i < len(l.closing); i++ {
		l.closing[i] = nil
	}
	l.closing = keep
}
