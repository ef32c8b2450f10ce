package socketio

import "fmt"

// ListedOnHome reports whether s is in the recipient table of its engine
// session's home loop (recipients.go). Any goroutine.
func ListedOnHome(s *Socket) bool {
	if s.es == nil {
		return false
	}
	lt := s.nsp.rcpt.existing(s.es.Home())
	if lt == nil {
		return false
	}
	lt.mu.Lock()
	defer lt.mu.Unlock()
	return s.tslot != noSlot && lt.socks[s.tslot-1] == s
}

// CheckRecipients checks that n's recipient tables agree with themselves
// and with their sockets, and returns how many sockets they hold (tables
// and movable). Any goroutine: it takes the locks a broadcast takes.
func CheckRecipients(n *Namespace) (int, error) {
	r := &n.rcpt
	r.mu.RLock()
	defer r.mu.RUnlock()
	total := len(r.movable)
	for i, s := range r.movable {
		if s.mslot != int32(i+1) {
			return 0, fmt.Errorf("movable socket %d has slot %d", i, s.mslot)
		}
		if err := listedAndReceiving(s); err != nil {
			return 0, fmt.Errorf("movable socket %d: %w", i, err)
		}
	}
	for _, lt := range r.tables {
		if err := lt.check(); err != nil {
			return 0, err
		}
		total += int(lt.n.Load())
	}
	return total, nil
}

// check checks one loop's table under its lock.
func (lt *loopTable) check() error {
	lt.mu.Lock()
	defer lt.mu.Unlock()
	if len(lt.socks) != len(lt.ess) || int(lt.n.Load()) != len(lt.socks)+len(lt.pending) {
		return fmt.Errorf("table of %d sockets, %d sessions, count %d", len(lt.socks), len(lt.ess), lt.n.Load())
	}
	for i, s := range lt.socks {
		switch {
		case s.tslot != int32(i+1):
			return fmt.Errorf("socket %d of its table has slot %d", i, s.tslot)
		case lt.ess[i] != s.es:
			return fmt.Errorf("socket %d of its table beside another session", i)
		case s.es.Home() != lt.exec:
			return fmt.Errorf("socket %d of the table of %v lives on %v", i, lt.exec, s.es.Home())
		case !s.settled():
			return fmt.Errorf("socket %d of a table is not on WebSocket", i)
		}
		if err := listedAndReceiving(s); err != nil {
			return fmt.Errorf("socket %d of its table: %w", i, err)
		}
	}
	return nil
}

// listedAndReceiving checks a socket found in the tables. One that is
// being unlisted (the bit cleared, its removal waiting for the lock the
// caller holds) is still receiving broadcasts.
func listedAndReceiving(s *Socket) error {
	if st := s.state.Load(); st == stateDisconnected && s.bits.Load()&bitListed != 0 {
		return fmt.Errorf("disconnected but listed")
	}
	if !s.receivesBroadcasts() && s.bits.Load()&bitListed != 0 {
		return fmt.Errorf("listed in state %d", s.state.Load())
	}
	return nil
}
