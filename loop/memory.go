package loop

import (
	"context"
	"errors"
	"io"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"github.com/panjf2000/gnet/v2"
)

// Memory runs a Handler on one in-memory event loop, without sockets, so
// that the layers above (httpx users, engineio) can be tested
// deterministically with the same Conn, Loop and Timer semantics as Serve:
// callbacks run on one goroutine, writes are batched per turn, the queue cap
// and the closed-connection guard apply. Timers advance only when Tick is
// called.
type Memory struct {
	srv     *Server
	loop    *Loop
	tasks   chan func()
	drainFn func()
	done    chan struct{}
	once    sync.Once
}

// MemPeer is the test's end of an in-memory connection.
type MemPeer struct {
	m   *Memory
	c   *Conn
	in  []byte // bytes received from the test, not yet consumed by the handler
	mu  sync.Mutex
	out []byte
	eof bool
	sig chan struct{}
	t   *memTransport
}

// memPoster runs drain tasks on the Memory goroutine.
type memPoster struct{ m *Memory }

func (p memPoster) Execute(_ context.Context, r gnet.Runnable) error {
	fn := p.m.drainFn // the only Runnable a Loop posts; bound once, no allocation
	if d, ok := r.(drainRunnable); !ok || d.l != p.m.loop {
		fn = func() { _ = r.Run(context.Background()) }
	}
	select {
	case p.m.tasks <- fn:
		return nil
	case <-p.m.done:
		return errors.New("loop: memory loop closed")
	}
}

// NewMemory starts an in-memory loop for h. Close it when done. Safe from
// any goroutine.
func NewMemory(h Handler, opts ...Option) *Memory {
	m := &Memory{tasks: make(chan func(), 1024), done: make(chan struct{})}
	m.srv = &Server{opts: newOptions(opts), handler: h, done: make(chan struct{})}
	m.loop = newLoop(m.srv, memPoster{m}, 0)
	m.drainFn = m.loop.drain
	go m.run()
	return m
}

func (m *Memory) run() {
	for {
		select {
		case fn := <-m.tasks:
			fn()
		case <-m.done:
			return
		}
	}
}

// do runs fn on the loop goroutine as one turn and waits for it.
func (m *Memory) do(fn func()) {
	finished := make(chan struct{})
	select {
	case m.tasks <- func() {
		m.loop.enter()
		fn()
		m.loop.leave()
		close(finished)
	}:
		<-finished
	case <-m.done:
	}
}

// Loop returns the in-memory loop. Safe from any goroutine.
func (m *Memory) Loop() *Loop { return m.loop }

// Tick moves the loop's clock d forward and fires the timers due. Safe from any
// goroutine.
func (m *Memory) Tick(d time.Duration) {
	m.do(func() {
		m.srv.virtual.Add(int64(d))
		m.loop.advanceTimers()
	})
}

// Close stops the loop. Safe from any goroutine.
func (m *Memory) Close() { m.once.Do(func() { close(m.done) }) }

// Dial opens a connection from remote: OnOpen runs before Dial returns.
// Safe from any goroutine.
func (m *Memory) Dial(remote netip.AddrPort) *MemPeer {
	p := &MemPeer{m: m, sig: make(chan struct{}, 1)}
	p.t = &memTransport{p: p}
	p.c = &Conn{t: p.t, loop: m.loop, id: m.srv.nextID.Add(1)}
	p.c.setRemote(remote)
	m.do(func() {
		m.loop.conns.add(p.c)
		m.loop.safely(p.c, func() { m.srv.handler.OnOpen(p.c) })
	})
	return p
}

// SetDiscard makes the peer count the bytes it receives instead of keeping
// them (for benchmarks and allocation tests). Safe from any goroutine.
func (p *MemPeer) SetDiscard(on bool) {
	p.t.discard.Store(on)
}

// Written returns how many bytes the server has written to the peer. Safe
// from any goroutine.
func (p *MemPeer) Written() int { return int(p.t.written.Load()) }

// Conn returns the server side of the connection. Safe from any goroutine.
func (p *MemPeer) Conn() *Conn { return p.c }

// Send delivers b to the handler's OnData, as bytes arriving from the peer.
// Safe from any goroutine.
func (p *MemPeer) Send(b []byte) {
	p.m.do(func() {
		if p.c.has(connClosed | connClosing) {
			return
		}
		p.in = append(p.in, b...)
		n := 0
		p.m.loop.safely(p.c, func() { n = p.m.srv.handler.OnData(p.c, p.in) })
		if !p.c.has(connClosed) {
			p.in = p.in[:copy(p.in, p.in[min(n, len(p.in)):])]
		}
	})
}

// Recv returns what the server wrote so far (and clears it), waiting up to
// timeout for at least one byte. closed reports that the server closed the
// connection and everything was read. Safe from any goroutine.
func (p *MemPeer) Recv(timeout time.Duration) (b []byte, closed bool) {
	deadline := time.After(timeout)
	for {
		p.mu.Lock()
		b, p.out = p.out, nil
		eof := p.eof
		p.mu.Unlock()
		if len(b) > 0 || eof {
			return b, eof && len(b) == 0
		}
		select {
		case <-p.sig:
		case <-deadline:
			return nil, false
		}
	}
}

// Close closes the connection from the peer's side: OnClose receives
// io.EOF. Safe from any goroutine.
func (p *MemPeer) Close() { p.m.do(func() { p.closeServerSide(errEOF) }) }

func (p *MemPeer) closeServerSide(err error) {
	c := p.c
	if c.has(connClosed) {
		return
	}
	c.flags |= connClosed
	c.dropPending()
	if ce := c.closeErr(); ce != nil {
		err = ce
	}
	p.m.loop.conns.remove(c)
	p.m.loop.safely(nil, func() { p.m.srv.handler.OnClose(c, err) })
	p.mu.Lock()
	p.eof = true
	p.mu.Unlock()
	p.notify()
}

func (p *MemPeer) notify() {
	select {
	case p.sig <- struct{}{}:
	default:
	}
}

// memTransport delivers writes to the peer's buffer; it never refuses bytes.
type memTransport struct {
	p *MemPeer
	// discard and written are atomics so that a discarding peer costs a
	// write one atomic add, as a kernel that takes the bytes would cost
	// one copy: benchmarks then measure the server, not a lock and a
	// channel send per buffer. They live in the transport, not the peer,
	// so that a write to a discarding peer reads one object, as a write
	// to a socket reads gnet's connection, not two in a chain.
	discard atomic.Bool
	written atomic.Int64
}

func (t *memTransport) Write(b []byte) (int, error) {
	bs := [1][]byte{b}
	return t.Writev(bs[:])
}

// Writev hands the peer all of bs at once: one lock and one wake-up per
// flush, not per buffer; a discarding peer only counts them.
func (t *memTransport) Writev(bs [][]byte) (int, error) {
	n := 0
	for _, b := range bs {
		n += len(b)
	}
	if t.discard.Load() {
		t.written.Add(int64(n))
		return n, nil
	}
	p := t.p
	p.mu.Lock()
	t.written.Add(int64(n))
	for _, b := range bs {
		p.out = append(p.out, b...)
	}
	p.mu.Unlock()
	p.notify()
	return n, nil
}

func (t *memTransport) OutboundBuffered() int { return 0 }

// Fd is -1: there is no descriptor (shutdownWrite is used instead).
func (t *memTransport) Fd() int { return -1 }

func (t *memTransport) shutdownWrite() { _ = t.Close() }

// Close is asynchronous, as gnet's: OnClose runs in a later turn.
func (t *memTransport) Close() error {
	p := t.p
	go p.m.do(func() { p.closeServerSide(ErrLocalClose) })
	return nil
}

var errEOF = io.EOF
