package main

import (
	"bytes"
	"math/rand/v2"
	"net/netip"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sio-fast/sio-fast/bench/internal/wsclient"
)

// client is one connection's bookkeeping. Broadcasts arrive in order on a
// connection, so a client must receive every sequence number from the first
// one sent after it was ready to the last one sent before it began to
// leave, each once.
type client struct {
	conn    *wsclient.Conn
	first   uint64 // first sequence number it must receive (0: not ready)
	last    uint64 // highest received
	got     uint64 // received in [first, upTo]
	upTo    uint64 // when leaving: the last one it must receive
	leaving bool
	ended   bool
}

// fleet holds the connections and counts what went wrong. The engine's
// workers call its Handler methods; the churn and the publisher take mu.
type fleet struct {
	eng     *wsclient.Engine
	srcs    []netip.Addr
	mu      sync.Mutex
	byID    map[int]*client
	ready   []int // ids of ready clients not leaving, for random picks
	nextID  int
	sent    atomic.Uint64 // last broadcast sequence number sent
	pending atomic.Int64  // dials not yet ready or failed

	lost, dup, failed, unexpected atomic.Int64
	delivered                     atomic.Int64
	readyCh                       chan struct{}
}

func newFleet(srcs []netip.Addr) *fleet {
	return &fleet{srcs: srcs, byID: map[int]*client{}, readyCh: make(chan struct{}, 1<<16)}
}

// dial starts one new client.
func (f *fleet) dial() {
	// Listed before the dial: its handshake may complete before Dial
	// returns.
	cl := &client{}
	f.mu.Lock()
	id := f.nextID
	f.nextID++
	f.byID[id] = cl
	f.mu.Unlock()
	f.pending.Add(1)
	c, err := f.eng.Dial(id, f.srcs[id%len(f.srcs)])
	f.mu.Lock()
	defer f.mu.Unlock()
	if err != nil {
		delete(f.byID, id)
		f.pending.Add(-1)
		f.failed.Add(1)
		return
	}
	cl.conn = c
}

// OnReady implements wsclient.Handler.
func (f *fleet) OnReady(c *wsclient.Conn, _ time.Time) {
	f.pending.Add(-1)
	f.mu.Lock()
	if cl := f.byID[c.ID]; cl != nil {
		// A broadcast sent before now may or may not reach it: count from
		// the next one.
		cl.first = f.sent.Load() + 1
		f.ready = append(f.ready, c.ID)
	}
	f.mu.Unlock()
	select {
	case f.readyCh <- struct{}{}:
	default:
	}
}

var broadcastPrefix = []byte(`2["broadcast",{"t":`)

// OnPacket implements wsclient.Handler: checks the broadcast sequence.
func (f *fleet) OnPacket(c *wsclient.Conn, p []byte, _ time.Time) {
	if !bytes.HasPrefix(p, broadcastPrefix) {
		return
	}
	i := bytes.Index(p, []byte(`"p":"`))
	if i < 0 {
		return
	}
	rest := p[i+5:]
	j := bytes.IndexByte(rest, 'x')
	if j < 0 {
		return
	}
	seq, err := strconv.ParseUint(string(rest[:j]), 10, 64)
	if err != nil {
		return
	}
	f.delivered.Add(1)
	f.mu.Lock()
	defer f.mu.Unlock()
	cl := f.byID[c.ID]
	if cl == nil || cl.first == 0 || seq < cl.first || (cl.leaving && seq > cl.upTo) {
		return
	}
	if seq <= cl.last {
		f.dup.Add(1)
		return
	}
	cl.last = seq
	cl.got++
}

// OnClose implements wsclient.Handler.
func (f *fleet) OnClose(c *wsclient.Conn, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	cl := f.byID[c.ID]
	if cl == nil || cl.ended {
		return
	}
	cl.ended = true
	switch {
	case cl.first == 0:
		f.pending.Add(-1)
		f.failed.Add(1) // never got ready: a failed (re)connect
	case !cl.leaving:
		f.unexpected.Add(1)
		f.account(cl, f.sent.Load())
		f.dropReady(c.ID)
	}
	delete(f.byID, c.ID)
}

// account adds the broadcasts cl missed among those it had to receive, up
// to upTo (the last one sent before it began to leave). mu held.
func (f *fleet) account(cl *client, upTo uint64) {
	if cl.first == 0 || upTo < cl.first {
		return
	}
	if want := upTo - cl.first + 1; cl.got < want {
		f.lost.Add(int64(want - cl.got))
	}
}

func (f *fleet) dropReady(id int) {
	for i, x := range f.ready {
		if x == id {
			f.ready[i] = f.ready[len(f.ready)-1]
			f.ready = f.ready[:len(f.ready)-1]
			return
		}
	}
}

// leave makes n random ready clients (never id 0, the publisher) leave,
// every other one abruptly (a reset, no goodbye) and the rest with a
// Socket.IO disconnect and a WebSocket close. Their accounting waits
// for settle: broadcasts sent before now may still be on the way.
func (f *fleet) leave(n int, settle time.Duration) {
	f.mu.Lock()
	var gone []*client
	upTo := f.sent.Load()
	for k := 0; k < n && len(f.ready) > 1; k++ {
		i := 1 + rand.IntN(len(f.ready)-1)
		if f.ready[i] == 0 {
			continue
		}
		cl := f.byID[f.ready[i]]
		f.ready[i] = f.ready[len(f.ready)-1]
		f.ready = f.ready[:len(f.ready)-1]
		if cl == nil {
			continue
		}
		cl.leaving, cl.upTo = true, upTo
		gone = append(gone, cl)
	}
	f.mu.Unlock()
	time.AfterFunc(settle, func() {
		f.mu.Lock()
		for _, cl := range gone {
			f.account(cl, upTo)
		}
		f.mu.Unlock()
		for k, cl := range gone {
			if k%2 == 0 {
				cl.conn.Abort()
			} else {
				_ = cl.conn.Send(closeFrames)
			}
		}
	})
}

// closeFrames: Socket.IO DISCONNECT, then a WebSocket close (1000).
var closeFrames = append(wsclient.AppendText(nil, []byte("41")),
	0x88, 0x82, 0x12, 0x34, 0x56, 0x78, 0x03^0x12, 0xe8^0x34)

// finish accounts for every client still connected, up to the last
// broadcast sent.
func (f *fleet) finish() {
	f.mu.Lock()
	defer f.mu.Unlock()
	upTo := f.sent.Load()
	for _, cl := range f.byID {
		if !cl.leaving && !cl.ended {
			f.account(cl, upTo)
			cl.leaving, cl.upTo = true, upTo
		}
	}
}

func (f *fleet) numReady() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.ready)
}
