package loop

import (
	"errors"
	"fmt"
	"net"
	"time"
)

// Start runs a reactor that listens on nothing: its connections come from
// Adopt (a socket another server accepted, such as one hijacked from
// net/http) and OpenPipe (a connection without a socket). The options are
// Serve's; those about listening (WithReusePort, WithMaxConns' refusals at
// accept) have nothing to act on. Call Shutdown to stop. Safe from any
// goroutine.
//
// Every loop exists from the start (Loops returns all of them), so pipes
// can be spread over the loops before any socket arrives. Addr returns a
// zero address.
func Start(h Handler, opts ...Option) (*Server, error) {
	if h == nil {
		return nil, errors.New("loop: nil handler")
	}
	s := newServer(h, opts)
	s.addr = &net.TCPAddr{}
	if !s.opts.keepProcs {
		ensureSpareProc(s.opts.numLoops, s.opts.logger)
	}
	if err := s.startEngine(); err != nil {
		return nil, err
	}
	if err := s.anchorLoops(); err != nil {
		_ = s.client.Stop()
		return nil, err
	}
	s.start = time.Now()
	go s.runTicker()
	return s, nil
}

// anchor is the context of a connection enrolled only to learn one gnet
// event loop: gnet gives its loops to no one until a connection lands on
// them. It never carries traffic and is not counted among connections.
type anchor struct{ opened chan struct{} }

// anchorLoops enrols one loopback connection per loop. gnet places each on
// the loop with the fewest connections (WithLoadBalancing(LeastConnections)
// in startEngine) and EnrollContext returns once it is registered, so they
// land one per loop. The peers stay open in s.anchors until the server
// stops.
func (s *Server) anchorLoops() error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("loop: anchoring the loops: %w", err)
	}
	defer ln.Close()
	for range s.opts.numLoops {
		peer, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			return fmt.Errorf("loop: anchoring the loops: %w", err)
		}
		s.anchors = append(s.anchors, peer)
		nc, err := ln.Accept()
		if err != nil {
			return fmt.Errorf("loop: anchoring the loops: %w", err)
		}
		a := &anchor{opened: make(chan struct{})}
		if _, err := s.client.EnrollContext(nc, a); err != nil {
			return fmt.Errorf("loop: anchoring the loops: %w", err)
		}
		<-a.opened
	}
	return nil
}

// closeAnchors closes the anchors' peers once the engine stopped.
func (s *Server) closeAnchors() {
	for _, c := range s.anchors {
		_ = c.Close()
	}
}

// pickLoop returns a loop for a connection that gnet does not place, round
// robin. Safe from any goroutine.
func (s *Server) pickLoop() *Loop {
	loops := s.Loops()
	if len(loops) == 0 {
		return nil
	}
	return loops[int(s.rr.Add(1))%len(loops)]
}
