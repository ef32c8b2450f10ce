package socketio

import (
	"strconv"
	"sync"
	"time"

	"github.com/sio-fast/sio-fast/socketio/parser"
)

// memStore is the MemoryAdapter's SessionStore (Node's SessionAwareAdapter):
// the packets broadcast in the last MaxDisconnectionDuration, in offset
// order, and the sessions of sockets disconnected for less than that.
//
// Packets live in fixed blocks of packetBlock entries, oldest first:
// storing one never moves the others (a growing slice would copy them all
// now and then, megabytes at a high broadcast rate), and expiry frees whole
// blocks. Offsets are a counter in base 36: the packet of offset n is entry
// first+n-base of the blocks taken end to end, found without a search. One lock orders everything:
// a stored broadcast takes its offset, is appended and is handed to the
// loops under it, so offsets reach every client in increasing order, and a
// restore sees each broadcast either among the missed packets or after the
// socket became a recipient, never neither nor both. The lock serialises the
// broadcasts of one namespace while recovery is on.
//
// Expired entries are dropped by one sweep timer per namespace, armed only
// while something is stored, every MaxDisconnectionDuration/8 (between
// 10 ms and 10 s); restores check expiry exactly.
type memStore struct {
	maxAge   time.Duration
	interval time.Duration

	mu       sync.Mutex
	blocks   [][]storedPacket // blocks[0][first:], blocks[1], ...: the live packets
	first    int
	base     uint64 // offset of blocks[0][first]
	next     uint64 // offset of the next packet
	sessions map[string]*storedSession
	byAge    []*storedSession // persist order, for the sweep (may hold restored ones)
	timer    *time.Timer      // sweep, nil when not armed
	closed   bool
}

// packetBlock is the number of packets per block (about 26 KB).
const packetBlock = 256

// storedPacket is one broadcast kept for recovery: about 100 bytes plus
// its Data (see docs/benchmarks.md).
type storedPacket struct {
	data   []byte // ["event",args...,"offset"]
	atts   [][]byte
	rooms  []Room
	except []Room
	at     time.Duration // monoNow when emitted
}

type storedSession struct {
	Session
	at time.Duration // monoNow when persisted
}

// monoStart anchors monoNow: a monotonic clock, immune to wall clock jumps.
var monoStart = time.Now()

func monoNow() time.Duration { return time.Since(monoStart) }

func newMemStore(maxAge time.Duration) *memStore {
	return &memStore{maxAge: maxAge, interval: min(max(maxAge/8, 10*time.Millisecond), 10*time.Second),
		sessions: make(map[string]*storedSession), next: 1, base: 1}
}

func formatOffset(n uint64) string { return strconv.FormatUint(n, 36) }

// broadcast stores pkt with the next offset appended and fans it out.
func (m *memStore) broadcast(a *MemoryAdapter, pkt *parser.Packet, opts *BroadcastOptions) {
	now := monoNow()
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		a.fanout(pkt, opts, nil)
		return
	}
	off := m.next
	m.next++
	data := appendOffsetWith(pkt.Data, 16, func(b []byte) []byte { // the offset, without a string
		return append(strconv.AppendUint(append(b, '"'), off, 36), '"')
	})
	sp := storedPacket{data: data, rooms: cloneRooms(opts.Rooms), except: cloneRooms(opts.Except), at: now}
	if len(pkt.Attachments) > 0 {
		sp.atts = append([][]byte(nil), pkt.Attachments...)
	}
	if n := len(m.blocks); n == 0 || len(m.blocks[n-1]) == packetBlock {
		m.blocks = append(m.blocks, make([]storedPacket, 0, packetBlock))
	}
	last := &m.blocks[len(m.blocks)-1]
	*last = append(*last, sp)
	m.armLocked()
	p := *pkt
	p.Data = data
	a.fanout(&p, opts, nil)
}

func cloneRooms(rs []Room) []Room {
	if len(rs) == 0 {
		return nil
	}
	return append([]Room(nil), rs...)
}

// PersistSession keeps sess for MaxDisconnectionDuration (SessionStore).
// Any goroutine.
func (a *MemoryAdapter) PersistSession(sess *Session) {
	if a.rec != nil {
		a.rec.persist(sess)
	}
}

// RestoreSession takes the session pid and the packets it missed after
// offset (SessionStore). done runs before it returns, on the caller's
// goroutine, which must be the home loop.
func (a *MemoryAdapter) RestoreSession(pid, offset string, _ Executor, done func(*Session, []parser.Packet)) {
	if a.rec == nil {
		done(nil, nil)
		return
	}
	a.rec.restore(pid, offset, done)
}

func (m *memStore) persist(sess *Session) {
	ss := &storedSession{Session: *sess, at: monoNow()}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return
	}
	m.sessions[ss.PID] = ss
	m.byAge = append(m.byAge, ss)
	m.armLocked()
}

// restore calls done with the session and its missed packets under the
// lock (no broadcast in between), or with nils after unlocking.
func (m *memStore) restore(pid, offset string, done func(*Session, []parser.Packet)) {
	m.mu.Lock()
	now := monoNow()
	m.dropExpiredLocked(now)
	ss := m.sessions[pid]
	from, ok := m.indexAfter(offset)
	if ss == nil || !ok {
		m.mu.Unlock()
		done(nil, nil)
		return
	}
	delete(m.sessions, pid) // one recovery per session: a replayed pid finds nothing
	missed := m.missedLocked(from, ss.Rooms)
	defer m.mu.Unlock()
	done(&ss.Session, missed)
}

// indexAfter returns the position (in the blocks taken end to end) of the
// packet following offset, which must be the offset of a live packet.
func (m *memStore) indexAfter(offset string) (int, bool) {
	n, err := strconv.ParseUint(offset, 36, 64)
	if err != nil || n < m.base || n >= m.next || formatOffset(n) != offset {
		return 0, false
	}
	return m.first + int(n-m.base) + 1, true
}

// missedLocked returns the packets from position i on that a session in
// rooms would have received (Node's shouldIncludePacket).
func (m *memStore) missedLocked(i int, rooms []Room) []parser.Packet {
	var out []parser.Packet
	for b := i / packetBlock; b < len(m.blocks); b++ {
		for _, p := range m.blocks[b][max(i-b*packetBlock, 0):] {
			if includes(p.rooms, rooms) && !intersects(p.except, rooms) {
				out = append(out, parser.Packet{Type: parser.Event, ID: -1, Data: p.data, Attachments: p.atts})
			}
		}
	}
	return out
}

// includes reports whether a packet sent to targets reaches a socket in
// rooms: targets empty (everyone) or one of rooms among them.
func includes(targets, rooms []Room) bool { return len(targets) == 0 || intersects(targets, rooms) }

func intersects(a, b []Room) bool {
	for _, x := range a {
		for _, y := range b {
			if x == y {
				return true
			}
		}
	}
	return false
}

// dropExpiredLocked forgets packets and sessions older than maxAge.
func (m *memStore) dropExpiredLocked(now time.Duration) {
	limit := now - m.maxAge
	for len(m.blocks) > 0 {
		b := m.blocks[0]
		for m.first < len(b) && b[m.first].at < limit {
			b[m.first] = storedPacket{}
			m.first++
			m.base++
		}
		if m.first < packetBlock {
			break // the oldest live packet is in b, or b is still filling
		}
		m.blocks[0] = nil
		m.blocks, m.first = m.blocks[1:], 0
	}
	if len(m.blocks) == 0 {
		m.blocks, m.first = nil, 0
	}
	j := 0
	for j < len(m.byAge) && m.byAge[j].at < limit {
		if ss := m.byAge[j]; m.sessions[ss.PID] == ss {
			delete(m.sessions, ss.PID)
		}
		m.byAge[j] = nil
		j++
	}
	m.byAge = m.byAge[j:]
	if len(m.byAge) == 0 {
		m.byAge = nil // let the emptied backing array go
	}
}

// armLocked starts the sweep timer unless it runs.
func (m *memStore) armLocked() {
	if m.timer == nil && !m.closed {
		m.timer = time.AfterFunc(m.interval, m.sweep)
	}
}

// sweep drops expired entries and re-arms while something is left.
func (m *memStore) sweep() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.timer = nil
	if m.closed {
		return
	}
	m.dropExpiredLocked(monoNow())
	if m.base < m.next || len(m.byAge) > 0 {
		m.armLocked()
	}
}

// close stops the sweep and forgets everything.
func (m *memStore) close() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.closed = true
	if m.timer != nil {
		m.timer.Stop()
		m.timer = nil
	}
	m.blocks, m.sessions, m.byAge, m.first = nil, map[string]*storedSession{}, nil, 0
	m.base = m.next
}

// stats returns the number of live packets and sessions (tests, benchmarks).
func (m *memStore) stats() (packets, sessions int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return int(m.next - m.base), len(m.sessions)
}
