package loop

import (
	"io"
	"net/netip"
)

// Pipe is the outside end of a connection without a socket: its input comes
// from Send and its output goes to a PipeOutput. It lets a request received
// by another server (net/http) be served by the handler on a loop exactly as
// one read from a socket, while the goroutine that received it waits off
// the loop.
type Pipe struct {
	c *Conn
}

// PipeOutput receives what the handler does with a pipe's connection. Its
// methods run on the connection's loop goroutine and must not block.
type PipeOutput interface {
	// Receive gets the bytes the handler wrote, in order. b is valid only
	// during the call.
	Receive(b []byte)
	// Closed is called once, after the last Receive, when the connection is
	// closed by either side.
	Closed()
}

// OpenPipe opens a connection from remote on loop l, one of this server's
// (nil: round robin); OnOpen runs there soon after. Safe from any
// goroutine.
func (s *Server) OpenPipe(l *Loop, remote netip.AddrPort, out PipeOutput) (*Pipe, error) {
	if err := s.reserve(); err != nil {
		return nil, err
	}
	if l == nil || l.srv != s {
		l = s.pickLoop()
	}
	if l == nil {
		s.active.Add(-1)
		return nil, ErrNoLoop
	}
	c := &Conn{id: s.nextID.Add(1), loop: l}
	c.setRemote(remote)
	c.t = &pipeTransport{c: c, out: out}
	l.Execute(func() { l.open(c, nil) })
	return &Pipe{c: c}, nil
}

// Send hands b to the handler's OnData on the loop, after everything sent
// before. The pipe keeps b until then: b must not change. Bytes sent after
// the connection closed are dropped. Safe from any goroutine.
func (p *Pipe) Send(b []byte) {
	l := p.c.loop
	l.Execute(func() { l.feed(p.c, b) })
}

// Close closes the connection from the outside (the peer went away):
// OnClose receives io.EOF unless the handler closed it first. Safe from any
// goroutine.
func (p *Pipe) Close() {
	l := p.c.loop
	l.Execute(func() { p.c.t.(*pipeTransport).closeNow(io.EOF) })
}

// pipeTransport hands writes to the PipeOutput; it never refuses bytes.
type pipeTransport struct {
	c    *Conn
	out  PipeOutput
	done bool
}

func (t *pipeTransport) Write(b []byte) (int, error) {
	t.out.Receive(b)
	return len(b), nil
}

func (t *pipeTransport) Writev(bs [][]byte) (int, error) {
	n := 0
	for _, b := range bs {
		t.out.Receive(b)
		n += len(b)
	}
	return n, nil
}

func (t *pipeTransport) OutboundBuffered() int { return 0 }

// Fd is -1: there is no descriptor (shutdownWrite is used instead).
func (t *pipeTransport) Fd() int { return -1 }

// shutdownWrite ends the output: a pipe has no half-closed state, and
// nothing the peer could send after would be read.
func (t *pipeTransport) shutdownWrite() { _ = t.Close() }

// Close is asynchronous, as gnet's: OnClose runs in a later task.
func (t *pipeTransport) Close() error {
	l := t.c.loop
	l.Execute(func() { t.closeNow(ErrLocalClose) })
	return nil
}

func (t *pipeTransport) closeNow(err error) {
	if t.done {
		return
	}
	t.done = true
	t.c.loop.closed(t.c, err)
	t.out.Closed()
}
