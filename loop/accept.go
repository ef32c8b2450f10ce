package loop

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"os"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// The acceptor runs outside gnet on purpose: gnet's own acceptor stops the
// whole engine on an accept error such as EMFILE (gnet issue #367). Here an
// accept error only pauses accepting, and connections over the cap are
// refused one by one while the others keep working.

func (s *Server) listen(addr string) error {
	n := 1
	// Keep-alive off here: Go would otherwise set it (three setsockopt calls
	// per accepted connection) even when the options leave it off; gnet
	// applies WithTCPKeepAlive itself when it is on.
	lc := net.ListenConfig{KeepAlive: -1}
	if s.opts.reusePort {
		n = s.opts.numLoops
		lc.Control = setReusePort
	}
	for i := 0; i < n; i++ {
		ln, err := lc.Listen(context.Background(), "tcp", addr)
		if err != nil {
			s.closeListeners()
			return err
		}
		if i == 0 {
			s.addr = ln.Addr()
			addr = ln.Addr().String() // port 0: every listener shares the port chosen first
		}
		s.ln = append(s.ln, ln)
	}
	return nil
}

func (s *Server) closeListeners() {
	for _, ln := range s.ln {
		_ = ln.Close()
	}
}

func (s *Server) acceptLoop(ln net.Listener) {
	defer s.acceptWG.Done()
	reserve := openReserveFD()
	var backoff time.Duration
	for {
		nc, err := ln.Accept()
		if err != nil {
			if s.closing.Load() || errors.Is(err, net.ErrClosed) {
				closeFile(reserve)
				return
			}
			if isFDExhausted(err) {
				// Free the reserve descriptor so one pending connection can be
				// accepted and closed: the peer gets a clean close instead of a
				// hang, and the backlog does not stay full.
				reserve = shedOne(ln, reserve)
				s.opts.logger.Warn("loop: accept: out of file descriptors", "err", err)
			}
			backoff = nextBackoff(backoff)
			time.Sleep(backoff)
			continue
		}
		backoff = 0
		s.admit(nc)
	}
}

// maxEnrolling bounds the connections being handed to gnet at once.
const maxEnrolling = 256

// enroll hands nc to gnet on a goroutine of its own. gnet's EnrollContext
// blocks until the event loop has registered the connection; waiting for
// each in turn costs two thread hand-offs per connection. Running the waits
// side by side lets the loop register a whole batch per wake-up (server CPU
// per 1,000 Socket.IO connections 135 -> 125 ms, measured side by side on
// one core). The semaphore bounds the goroutines; Shutdown waits for them
// (acceptWG).
func (s *Server) enroll(nc net.Conn, c *Conn) {
	s.enrolling <- struct{}{}
	s.acceptWG.Add(1)
	go func() {
		defer func() {
			<-s.enrolling
			s.acceptWG.Done()
		}()
		if _, err := s.client.EnrollContext(nc, c); err != nil {
			s.active.Add(-1)
			_ = nc.Close()
		}
	}()
}

func nextBackoff(d time.Duration) time.Duration {
	if d == 0 {
		return 5 * time.Millisecond
	}
	return min(2*d, time.Second)
}

func (s *Server) admit(nc net.Conn) {
	if s.active.Add(1) > int64(s.opts.maxConns) || s.closing.Load() {
		s.active.Add(-1)
		s.refused.Add(1)
		refuse(nc)
		return
	}
	if tc, ok := nc.(*net.TCPConn); ok && !s.opts.noDelay {
		_ = tc.SetNoDelay(false) // Go turns TCP_NODELAY on for every accepted connection
	}
	c := &Conn{id: s.nextID.Add(1)}
	if s.opts.tls.cfg != nil {
		c.flags = connHandshaking // OnOpen starts the handshake (tls_conn.go)
	}
	if ta, ok := nc.RemoteAddr().(*net.TCPAddr); ok {
		ap := ta.AddrPort()
		c.setRemote(netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port()))
	}
	// EnrollContext dups the descriptor into gnet and closes nc; OnOpen
	// receives c through the context.
	s.enroll(nc, c)
}

// refuse closes a connection over the cap with a linger of zero, so the
// descriptor is released at once and the peer sees a reset rather than a hang.
func refuse(nc net.Conn) {
	if tc, ok := nc.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = nc.Close()
}

func isFDExhausted(err error) bool {
	return errors.Is(err, syscall.EMFILE) || errors.Is(err, syscall.ENFILE)
}

func openReserveFD() *os.File {
	f, err := os.Open(os.DevNull)
	if err != nil {
		return nil
	}
	return f
}

func closeFile(f *os.File) {
	if f != nil {
		_ = f.Close()
	}
}

func shedOne(ln net.Listener, reserve *os.File) *os.File {
	if reserve == nil {
		return openReserveFD()
	}
	_ = reserve.Close()
	if tl, ok := ln.(*net.TCPListener); ok {
		_ = tl.SetDeadline(time.Now().Add(time.Millisecond))
		if nc, err := tl.Accept(); err == nil {
			refuse(nc)
		}
		_ = tl.SetDeadline(time.Time{})
	}
	return openReserveFD()
}

func setReusePort(network, address string, rc syscall.RawConn) error {
	var serr error
	err := rc.Control(func(fd uintptr) {
		serr = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_REUSEPORT, 1)
	})
	if err != nil {
		return err
	}
	return serr
}
