package loop

// pendQueue is a connection's write queue for the current turn: the buffers
// to send and their total length, and the connection it is lent to with
// its transport. The loop lends them from its dirty ring, in the order of
// the connections' first writes, and takes them back in the same order at
// the flush, which reads the queue and the transport but not the Conn
// (written a whole fan-out earlier, its line is gone from the cache by
// then) unless the transport kept bytes. The first buffer lives in the
// queue, further ones in an array it keeps for its next connection (up to
// maxKeptBufs).
type pendQueue struct {
	c     *Conn     // nil while the queue is not lent
	t     transport // c.t
	bufs  [][]byte
	n     int // bytes in bufs
	first [1][]byte
}

// maxKeptBufs bounds the buffer array a queue keeps once a burst grew it.
const maxKeptBufs = 256

// empty drops the queue's buffers, keeping it lent: a connection flushed or
// closed out of turn keeps its place in the ring until the flush reaches it.
func (q *pendQueue) empty() {
	if len(q.bufs) == 1 {
		q.bufs[0] = nil // the common case: one store, not a call to clear memory
	} else {
		clear(q.bufs)
	}
	q.first[0] = nil // bufs may have outgrown first, which still holds the first buffer
	if cap(q.bufs) > maxKeptBufs {
		q.bufs = q.first[:0]
	} else {
		q.bufs = q.bufs[:0]
	}
	q.n = 0
}

// pendChunkLen is how many queues a chunk of the ring holds (10 KiB).
const pendChunkLen = 128

type pendChunk [pendChunkLen]pendQueue

// dirtyRing is a loop's connections written to and not yet flushed, each
// with its queue, in the order of their first write since their last
// flush. It replaces a list of connections plus a pool of queues, one
// allocation each: lent in order from contiguous chunks, the queues a
// fan-out writes to (and the flush reads) are consecutive memory that the
// processor fetches ahead, where pooled queues were a line anywhere in the
// heap each, missed once at the write and again at the flush. Chunks are
// kept for reuse, as the pooled queues were. Loop goroutine only.
type dirtyRing struct {
	chunks []*pendChunk // chunks[0] holds the oldest lent queue
	head   int          // index in chunks[0] of the oldest lent queue
	n      int          // queues lent
}

// lend binds the next free queue to c and returns it.
func (r *dirtyRing) lend(c *Conn) *pendQueue {
	pos := r.head + r.n
	ci := pos / pendChunkLen
	if ci == len(r.chunks) {
		r.chunks = append(r.chunks, newPendChunk())
	}
	q := &r.chunks[ci][pos%pendChunkLen]
	q.c, q.t = c, c.t
	r.n++
	return q
}

// oldest returns the queue lent first. r.n > 0.
func (r *dirtyRing) oldest() *pendQueue { return &r.chunks[0][r.head] }

// release takes back the oldest queue, which its connection's flush
// emptied (flushQueue), and unbinds it. r.n > 0.
func (r *dirtyRing) release() {
	q := &r.chunks[0][r.head]
	q.c.pend = nil // a store: the Conn's line is not waited for
	q.c, q.t = nil, nil
	r.n--
	r.head++
	switch {
	case r.n == 0:
		r.head = 0 // the next fan-out starts at the first chunk again
	case r.head == pendChunkLen:
		// The first chunk is used up: it goes behind the others.
		first := r.chunks[0]
		copy(r.chunks, r.chunks[1:])
		r.chunks[len(r.chunks)-1] = first
		r.head = 0
	}
}

func newPendChunk() *pendChunk {
	ch := new(pendChunk)
	for i := range ch {
		ch[i].bufs = ch[i].first[:0]
	}
	return ch
}
