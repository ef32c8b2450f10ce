package loop

import (
	"encoding/binary"
	"errors"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// The stall check at the ticks: a connection whose count in gnet does not
// fall for the deadline is closed with ErrSlowConsumer; one whose count keeps
// falling, however slowly, stays; one that drained leaves the list.
func TestStallCheckClosesOnlyTheStalled(t *testing.T) {
	srv := &Server{opts: newOptions([]Option{WithWriteStallTimeout(time.Second)})}
	l := newLoop(srv, nil, 0)
	stalled, slow := &refusingTransport{}, &refusingTransport{}
	cs, cw := &Conn{t: stalled, loop: l}, &Conn{t: slow, loop: l}
	stalled.backlog, slow.backlog = 1000, 1000
	for _, c := range []*Conn{cs, cw} {
		l.enter()
		_ = c.Write([]byte("refused"))
		l.leave()
	}
	tick := func(at time.Duration) {
		srv.virtual.Store(int64(at))
		l.enter()
		l.advanceTimers()
		l.leave()
	}
	// The first tick starts the clock at 100 ms: the deadline is 1,100 ms.
	for at := 100 * time.Millisecond; at < 1100*time.Millisecond; at += 100 * time.Millisecond {
		tick(at)
		slow.backlog--
		if cs.Closed() {
			t.Fatalf("closed at %v, before the deadline", at)
		}
	}
	tick(1100 * time.Millisecond)
	if !cs.Closed() || !errors.Is(cs.closeErr(), ErrSlowConsumer) {
		t.Fatalf("stalled connection: closed=%v err=%v, want ErrSlowConsumer", cs.Closed(), cs.closeErr())
	}
	if cs.Backlogged() {
		t.Fatal("the closed connection is still flagged")
	}
	if st := l.Stats(); st.StallCloses != 1 || st.CapCloses != 0 {
		t.Fatalf("slow-consumer closes: %d by stall, %d at the cap; want 1, 0", st.StallCloses, st.CapCloses)
	}
	if cw.Closed() {
		t.Fatal("a connection making progress was closed")
	}
	slow.backlog = 0
	tick(1300 * time.Millisecond)
	if len(l.backlogged) != 0 || cw.Backlogged() {
		t.Fatalf("list %d after every byte left", len(l.backlogged))
	}
}

// WithWriteStallTimeout(0) turns the check off.
func TestStallCheckOff(t *testing.T) {
	srv := &Server{opts: newOptions([]Option{WithWriteStallTimeout(0)})}
	l := newLoop(srv, nil, 0)
	tr := &refusingTransport{}
	c := &Conn{t: tr, loop: l}
	l.enter()
	_ = c.Write([]byte("refused"))
	tr.backlog = 7
	l.leave()
	for at := time.Duration(1); at < time.Hour; at += time.Minute {
		srv.virtual.Store(int64(at))
		l.advanceTimers()
	}
	if c.Closed() {
		t.Fatal("closed with the check off")
	}
}

// The accepted socket gets WithSendBuffer's SO_SNDBUF (Linux reports twice
// the value asked for), 64 KiB by default.
func TestSendBufferOption(t *testing.T) {
	cases := []struct {
		name string
		opts []Option
		want int
	}{
		{"default", nil, 2 * defaultSendBuffer},
		{"16 KiB", []Option{WithSendBuffer(16 << 10)}, 32 << 10},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := make(chan int, 1)
			h := &funcHandler{open: func(c *Conn) {
				n, err := unix.GetsockoptInt(c.t.Fd(), unix.SOL_SOCKET, unix.SO_SNDBUF)
				if err != nil {
					t.Errorf("getsockopt: %v", err)
				}
				got <- n
			}}
			s := startServer(t, h, tc.opts...)
			dial(t, s)
			select {
			case n := <-got:
				if n != tc.want {
					t.Fatalf("SO_SNDBUF = %d, want %d", n, tc.want)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("no connection")
			}
		})
	}
}

// dialSmallRecv connects with a 4 KiB receive buffer, so a client that stops
// reading stalls the server after little data.
func dialSmallRecv(t *testing.T, addr string) net.Conn {
	t.Helper()
	d := net.Dialer{Timeout: 5 * time.Second, Control: func(_, _ string, rc syscall.RawConn) error {
		return rc.Control(func(fd uintptr) {
			_ = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_RCVBUF, 4<<10)
		})
	}}
	nc, err := d.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = nc.Close() })
	return nc
}

// With real sockets: a steady fan-out of 1,000-byte messages to 40 clients,
// 4 of which never read. The stalled ones are closed as slow consumers
// within the deadline plus a margin (long, for a loaded machine; the queue
// cap alone would take far longer); the healthy ones receive every message,
// in order, before and after.
func TestStalledClientsClosedHealthyKeepReceiving(t *testing.T) {
	const (
		clients  = 40
		stalled  = 4
		msgSize  = 1000
		deadline = time.Second
		margin   = 10 * time.Second
	)
	var mu sync.Mutex
	var conns []*Conn
	closedAt := make(chan error, clients)
	opened := make(chan struct{}, clients)
	h := &funcHandler{
		open: func(c *Conn) {
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			opened <- struct{}{}
		},
		close: func(c *Conn, err error) { closedAt <- err },
	}
	s := startServer(t, h, WithNumLoops(2), WithWriteStallTimeout(deadline), WithSendBuffer(16<<10))
	ncs := make([]net.Conn, clients)
	for i := range ncs {
		ncs[i] = dialSmallRecv(t, s.Addr().String())
		<-opened
	}
	// The broadcaster: message seq to every open connection, on its loop.
	stop := make(chan struct{})
	sent := make(chan uint64, 1)
	go func() {
		var seq uint64
		defer func() { sent <- seq }()
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
			}
			seq++
			msg := make([]byte, msgSize)
			binary.BigEndian.PutUint64(msg, seq)
			mu.Lock()
			for _, c := range conns {
				c.AsyncWrite(msg)
			}
			mu.Unlock()
		}
	}()
	received := make([]uint64, clients)
	var readers sync.WaitGroup
	for i := stalled; i < clients; i++ {
		readers.Add(1)
		go func(i int) {
			defer readers.Done()
			buf := make([]byte, msgSize)
			for {
				if _, err := io.ReadFull(ncs[i], buf); err != nil {
					return
				}
				seq := binary.BigEndian.Uint64(buf)
				if prev := atomic.LoadUint64(&received[i]); seq != prev+1 {
					t.Errorf("client %d: message %d after %d", i, seq, prev)
					return
				}
				atomic.StoreUint64(&received[i], seq)
			}
		}(i)
	}
	start := time.Now()
	for n := 0; n < stalled; n++ {
		select {
		case err := <-closedAt:
			if !errors.Is(err, ErrSlowConsumer) {
				t.Fatalf("closed with %v, want ErrSlowConsumer", err)
			}
		case <-time.After(deadline + margin - time.Since(start)):
			t.Fatalf("%d of %d stalled clients closed within %v", n, stalled, deadline+margin)
		}
	}
	t.Logf("stalled clients closed after %v (deadline %v)", time.Since(start), deadline)
	time.Sleep(500 * time.Millisecond) // healthy clients keep going after the closes
	close(stop)
	last := <-sent
	// Every healthy client reads up to the last message.
	waitUntil := time.Now().Add(10 * time.Second)
	for time.Now().Before(waitUntil) {
		done := true
		for i := stalled; i < clients; i++ {
			if atomic.LoadUint64(&received[i]) < last {
				done = false
			}
		}
		if done {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	select {
	case err := <-closedAt:
		t.Fatalf("a healthy client was closed during the run: %v", err)
	default:
	}
	for i := stalled; i < clients; i++ {
		_ = ncs[i].Close()
	}
	readers.Wait()
	for i := stalled; i < clients; i++ {
		if got := atomic.LoadUint64(&received[i]); got != last {
			t.Errorf("healthy client %d received %d of %d", i, got, last)
		}
	}
}

// What the stall check adds to a tick's walk of the backlog list, with
// 1,000 backlogged connections (a count read per connection either way; the
// check adds a comparison and one clock read per tick). Per-write cost:
// none, the write path is unchanged.
func BenchmarkBacklogTick(b *testing.B) {
	for _, tc := range []struct {
		name  string
		stall time.Duration
	}{{"stall-check-off", 0}, {"stall-check-on", time.Hour}} {
		b.Run(tc.name, func(b *testing.B) {
			srv := &Server{opts: newOptions([]Option{WithWriteStallTimeout(tc.stall)})}
			l := newLoop(srv, nil, 0)
			for i := 0; i < 1000; i++ {
				c := &Conn{t: &refusingTransport{backlog: 100}, loop: l}
				l.markBacklogged(c)
			}
			b.ReportAllocs()
			for b.Loop() {
				srv.virtual.Add(int64(time.Millisecond))
				l.checkBacklogged()
			}
			if len(l.backlogged) != 1000 {
				b.Fatalf("%d connections listed, want 1000", len(l.backlogged))
			}
		})
	}
}
