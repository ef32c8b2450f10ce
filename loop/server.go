package loop

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/panjf2000/gnet/v2"
)

// Server is a running reactor returned by Serve.
type Server struct {
	opts    options
	handler Handler
	client  *gnet.Client
	ln      []net.Listener
	addr    net.Addr

	loopsMu sync.Mutex
	loops   []*Loop
	byEL    map[gnet.EventLoop]*Loop

	ticks     atomic.Int64
	start     time.Time    // the clock's origin; zero for Memory (manual ticks)
	virtual   atomic.Int64 // Memory's clock, moved by Tick
	nextID    atomic.Uint64
	active    atomic.Int64
	refused   atomic.Uint64
	acceptWG  sync.WaitGroup // acceptors and enrolling goroutines
	enrolling chan struct{}  // semaphore of enroll
	tickStop  chan struct{}
	tickDone  chan struct{}
	closing   atomic.Bool
	stopOnce  sync.Once
	done      chan struct{}

	// Start's servers: the peers of the loops' anchors, and the round
	// robin of pickLoop.
	anchors []net.Conn
	rr      atomic.Uint64
	// streams are the connections carried by goroutines (stream.go).
	streams sync.Map
	// collector collects after bursts of connections (collect.go); nil
	// with WithBurstCollect(false).
	collector *burstCollector
}

// Serve starts listening on addr ("host:port"), runs the event loops and
// returns at once. The handler's callbacks run on the loops. Call Shutdown to
// stop. Safe from any goroutine.
//
// Process-wide effect: Serve raises GOMAXPROCS to the number of loops plus
// one when it is lower (see ensureSpareProc for why), logging the change at
// Debug level on the WithLogger logger (slog.Default otherwise), and does
// not lower it back on Shutdown. WithGOMAXPROCSUnchanged opts out.
func Serve(addr string, h Handler, opts ...Option) (*Server, error) {
	if h == nil {
		return nil, errors.New("loop: nil handler")
	}
	s := newServer(h, opts)
	if err := s.opts.tls.prepare(); err != nil {
		return nil, err
	}
	if err := s.listen(addr); err != nil {
		return nil, err
	}
	if !s.opts.keepProcs {
		ensureSpareProc(s.opts.numLoops, s.opts.logger)
	}
	if err := s.startEngine(); err != nil {
		s.closeListeners()
		return nil, err
	}
	s.start = time.Now()
	go s.runTicker()
	for _, ln := range s.ln {
		s.acceptWG.Add(1)
		go s.acceptLoop(ln)
	}
	return s, nil
}

func newServer(h Handler, opts []Option) *Server {
	s := &Server{
		opts:      newOptions(opts),
		handler:   h,
		byEL:      make(map[gnet.EventLoop]*Loop),
		tickStop:  make(chan struct{}),
		enrolling: make(chan struct{}, maxEnrolling),
		tickDone:  make(chan struct{}),
		done:      make(chan struct{}),
	}
	switch {
	case s.opts.noBurstCollect:
	case s.opts.collector != nil:
		s.collector = s.opts.collector
	default:
		s.collector = newBurstCollector()
	}
	return s
}

func (s *Server) startEngine() error {
	o := s.opts
	gopts := []gnet.Option{
		gnet.WithNumEventLoop(o.numLoops),
		gnet.WithReadBufferCap(o.readBufferCap),
		gnet.WithWriteBufferCap(o.writeBufferCap),
		gnet.WithSocketRecvBuffer(o.sockRecvBuf),
		gnet.WithSocketSendBuffer(o.sockSendBuf),
		gnet.WithTCPKeepAlive(o.keepAlive),
		gnet.WithLogger(gnetLogger{o.logger}),
		gnet.WithLoadBalancing(gnet.LeastConnections),
		// TCP_NODELAY is already set as the options want by admit (Go turns
		// it on at accept): gnet setting it again would cost a system call
		// per connection.
		gnet.WithTCPNoDelay(gnet.TCPDelay),
	}
	cli, err := gnet.NewClient(&engineHandler{s: s}, gopts...)
	if err != nil {
		return fmt.Errorf("loop: %w", err)
	}
	if err := cli.Start(); err != nil {
		return fmt.Errorf("loop: %w", err)
	}
	s.client = cli
	return nil
}

// Addr returns the listening address (useful with port 0). Safe from any
// goroutine.
func (s *Server) Addr() net.Addr { return s.addr }

// NumConns returns the number of open connections. Safe from any goroutine.
func (s *Server) NumConns() int { return int(s.active.Load()) }

// Refused returns how many connections were turned away by the connection
// cap. Safe from any goroutine.
func (s *Server) Refused() uint64 { return s.refused.Load() }

// Loops returns the loops that own at least one connection so far. Loops
// are created as connections arrive. Safe from any goroutine.
func (s *Server) Loops() []*Loop {
	s.loopsMu.Lock()
	defer s.loopsMu.Unlock()
	return append([]*Loop(nil), s.loops...)
}

// Done is closed when the server has stopped. Safe from any goroutine.
func (s *Server) Done() <-chan struct{} { return s.done }

// Shutdown stops the server gracefully: it stops accepting, asks the
// handler to say goodbye on every connection (Shutdowner, else
// CloseAfterFlush), waits until every connection is closed or ctx ends, then
// closes what is left and stops the loops. It must not be called from a loop
// goroutine (it waits for the loops). Safe from any other goroutine.
func (s *Server) Shutdown(ctx context.Context) error {
	if !s.closing.CompareAndSwap(false, true) {
		<-s.done
		return ErrServerClosed
	}
	s.closeListeners()
	s.acceptWG.Wait()
	for _, l := range s.Loops() {
		l.Execute(l.shutdownConns)
	}
	var err error
	t := time.NewTicker(10 * time.Millisecond)
	for s.active.Load() > 0 && err == nil {
		select {
		case <-ctx.Done():
			err = ctx.Err()
		case <-t.C:
		}
	}
	t.Stop()
	s.stop()
	return err
}

func (s *Server) stop() {
	s.stopOnce.Do(func() {
		close(s.tickStop)
		<-s.tickDone
		for _, l := range s.Loops() {
			l.Execute(l.stopWake)
		}
		_ = s.client.Stop()
		s.closeAnchors()
		s.closeStreams()
		close(s.done)
	})
}

func (l *Loop) shutdownConns() {
	for c := l.conns.head; c != nil; {
		next := c.next
		l.shutdownConn(c)
		c = next
	}
}

// shutdownConn lets the handler say goodbye on c (Shutdowner), then closes
// it once its bytes have left.
func (l *Loop) shutdownConn(c *Conn) {
	if c.has(connHandshaking) {
		c.CloseWithError(ErrShutdown) // TLS: the handler never saw it
		return
	}
	if sd, ok := l.srv.handler.(Shutdowner); ok {
		l.safely(c, func() { sd.OnShutdown(c) })
	}
	c.CloseAfterFlush(ErrShutdown)
}

func (s *Server) loopFor(el gnet.EventLoop) *Loop {
	s.loopsMu.Lock()
	defer s.loopsMu.Unlock()
	l, ok := s.byEL[el]
	if !ok {
		l = newLoop(s, el, len(s.loops))
		s.byEL[el] = l
		s.loops = append(s.loops, l)
	}
	return l
}

// clock returns the time of the timing wheels, in nanoseconds since the
// server started. Memory servers have no clock: their time moves only with
// Memory.Tick.
func (s *Server) clock() int64 {
	if s.start.IsZero() {
		return s.virtual.Load()
	}
	return int64(time.Since(s.start))
}

// runTicker is the one goroutine that drives every loop's timing wheel: per
// interval it hands one tick to each loop that has work for it
// (idleticks.go), however many timers it holds.
func (s *Server) runTicker() {
	defer close(s.tickDone)
	t := time.NewTicker(s.opts.tick)
	defer t.Stop()
	start := s.start
	for {
		select {
		case <-s.tickStop:
			return
		case <-t.C:
			// The tick number comes from elapsed time, not from counting
			// ticks: a busy process misses ticker fires, and timers must not
			// drift later for it.
			n := int64(time.Since(start) / s.opts.tick)
			s.ticks.Store(n)
			for _, l := range s.Loops() {
				if l.needsTick(n) {
					l.push(inboxItem{kind: itemTick})
				}
			}
			if s.collector != nil {
				s.collector.observe(s.nextID.Load(), time.Now())
			}
		}
	}
}
