package load

import (
	"bytes"
	"sync/atomic"
	"time"

	"github.com/sio-fast/sio-fast/bench/internal/hist"
	"github.com/sio-fast/sio-fast/bench/internal/wsclient"
)

const (
	ringBits = 20
	ringMask = 1<<ringBits - 1
)

// tracker is the wsclient.Handler: it accounts handshakes and deliveries.
// Its methods run on worker goroutines and touch atomics only.
type tracker struct {
	base time.Time      // t = time.Since(base) in ns (monotonic clock)
	lat  hist.Histogram // delivery latency of measured messages
	hs   hist.Histogram // handshake latency

	ring     [1 << ringBits]atomic.Int32 // deliveries still expected, per seq
	from, to atomic.Uint64               // measured seq window [from, to)
	received atomic.Uint64               // measured, non-duplicate deliveries
	dup      atomic.Uint64               // deliveries beyond the expected count
	done     atomic.Uint64               // messages fully delivered
	got      atomic.Uint64               // all non-duplicate deliveries (progress)
	bad      atomic.Uint64               // packets that could not be parsed
	firstBad atomic.Pointer[string]      // the first of them since resetBad (its head)
	wake     chan struct{}               // pinged when done advances

	// bounds[k] is one past the last client index of node k (one node in
	// a plain run). Cluster runs (Config.Nodes): nodeRecv counts measured
	// deliveries per node, remoteLat the latency of those to nodes after
	// the first.
	bounds    []int
	nodeRecv  []atomic.Uint64
	remoteLat hist.Histogram

	ready, failed, lostConn atomic.Int64
	joinAcks                atomic.Int64
	closing                 atomic.Bool
	lastErr                 atomic.Value // error
	sem                     chan struct{}
}

func newTracker(concurrency int) *tracker {
	t := &tracker{base: time.Now(), wake: make(chan struct{}, 1), sem: make(chan struct{}, concurrency)}
	t.to.Store(^uint64(0))
	return t
}

// setNodes sets the clients' split over the nodes (one bound for a plain
// run); a cluster run also counts the deliveries per node. Setup only.
func (t *tracker) setNodes(bounds []int, cluster bool) {
	t.bounds = bounds
	if cluster {
		t.nodeRecv = make([]atomic.Uint64, len(bounds))
	}
}

// resetNodes clears the per-node figures before a measured window.
func (t *tracker) resetNodes() {
	for i := range t.nodeRecv {
		t.nodeRecv[i].Store(0)
	}
	t.remoteLat.Reset()
}

// now returns the t field for a message sent now.
func (t *tracker) now() int64 { return int64(time.Since(t.base)) }

func (t *tracker) release() {
	select {
	case <-t.sem:
	default:
	}
}

// OnReady implements wsclient.Handler.
func (t *tracker) OnReady(c *wsclient.Conn, now time.Time) {
	t.hs.Record(int64(now.Sub(c.Started)))
	t.ready.Add(1)
	t.release()
}

// OnClose implements wsclient.Handler.
func (t *tracker) OnClose(c *wsclient.Conn, err error) {
	if t.closing.Load() {
		return
	}
	if err != nil {
		t.lastErr.Store(err)
	}
	if c.Ready() {
		t.lostConn.Add(1) // dropped after connecting: its deliveries are lost
		return
	}
	t.failed.Add(1)
	t.release()
}

// OnPacket implements wsclient.Handler: `2["broadcast",{...}]` deliveries,
// `3<id>[{...}]` echo acks, `3<id>[...]` join acks and `3<id>[{"ok":true}]`
// subscribe acks (the standalone server's).
func (t *tracker) OnPacket(c *wsclient.Conn, p []byte, now time.Time) {
	switch {
	case len(p) > 0 && p[0] == '2':
	case len(p) > 0 && p[0] == '3':
		if bytes.IndexByte(p, '{') < 0 || bytes.HasSuffix(p, subscribed) {
			t.joinAcks.Add(1)
			return
		}
	default:
		t.unparsable(p)
		return
	}
	ts, seq, ok := parseData(p)
	if !ok {
		t.unparsable(p)
		return
	}
	node := 0
	if len(t.bounds) > 1 {
		node = t.nodeOf(c.ID)
	}
	t.deliver(node, uint64(seq), ts, now)
}

// firstBadMax bounds the copy of the first unparsable packet kept for the
// report.
const firstBadMax = 80

// unparsable counts p, a packet that is none of the bench's own, and keeps
// the head of the first one: it names what the server sent unasked (a
// server that announces some state of its own to every client, say).
func (t *tracker) unparsable(p []byte) {
	t.bad.Add(1)
	if t.firstBad.Load() == nil {
		head := string(p[:min(len(p), firstBadMax)])
		t.firstBad.CompareAndSwap(nil, &head)
	}
}

// resetBad starts counting unparsable packets afresh (a measured window).
func (t *tracker) resetBad() {
	t.bad.Store(0)
	t.firstBad.Store(nil)
}

// badFigures fills in res's unparsable count and first packet.
func (t *tracker) badFigures(res *Result) {
	res.Unparsable = t.bad.Load()
	if f := t.firstBad.Load(); f != nil {
		res.FirstUnparsable = *f
	}
}

// deliver accounts one delivery of message seq to a client of node.
func (t *tracker) deliver(node int, seq uint64, ts int64, now time.Time) {
	left := t.ring[seq&ringMask].Add(-1)
	if left < 0 {
		t.dup.Add(1)
		return
	}
	t.got.Add(1)
	// Counted before done moves: drain returns once done reaches the last
	// sequence number, and the result then reads received at once.
	if seq >= t.from.Load() && seq < t.to.Load() {
		t.received.Add(1)
		lat := int64(now.Sub(t.base)) - ts
		t.lat.Record(lat)
		if t.nodeRecv != nil {
			t.nodeRecv[node].Add(1)
			if node > 0 {
				t.remoteLat.Record(lat)
			}
		}
	}
	if left == 0 {
		t.done.Add(1)
		select {
		case t.wake <- struct{}{}:
		default:
		}
	}
}

var (
	subscribed = []byte(`[{"ok":true}]`) // the standalone server's subscribe ack
	keyT       = []byte(`"t":`)
	keyP       = []byte(`"p":"`)
)

// parseData finds the integer t and the sequence number heading p in a
// packet carrying {"t":…,"p":"<seq>x…"} in any key order.
func parseData(b []byte) (ts, seq int64, ok bool) {
	i := bytes.Index(b, keyT)
	j := bytes.Index(b, keyP)
	if i < 0 || j < 0 {
		return 0, 0, false
	}
	ts, ok1 := parseUint(b[i+len(keyT):])
	seq, ok2 := parseUint(b[j+len(keyP):])
	return ts, seq, ok1 && ok2
}

func parseUint(b []byte) (int64, bool) {
	var v int64
	n := 0
	for n < len(b) && n < 18 && b[n] >= '0' && b[n] <= '9' {
		v = v*10 + int64(b[n]-'0')
		n++
	}
	return v, n > 0
}
