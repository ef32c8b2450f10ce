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
//
// The chunks themselves form a ring: a used-up chunk is passed by moving
// first on, not by shifting the others down, which would cost a copy of
// the whole chunk list every 128 queues (61 pointers per queue in a
// fan-out to 1,000,000). They are reordered only to make room for a new
// chunk, which is rare: the list grows to the largest fan-out and stays.
type dirtyRing struct {
	chunks []*pendChunk // a ring; chunks[first] holds the oldest lent queue
	first  int          // index in chunks of the oldest lent queue's chunk
	head   int          // index in chunks[first] of the oldest lent queue
	n      int          // queues lent
}

// lend binds the next free queue to c and returns it.
func (r *dirtyRing) lend(c *Conn) *pendQueue {
	pos := r.head + r.n
	k := pos / pendChunkLen // chunks after first
	if k == len(r.chunks) {
		r.grow()
	}
	ci := r.first + k
	if ci >= len(r.chunks) {
		ci -= len(r.chunks)
	}
	q := &r.chunks[ci][pos%pendChunkLen]
	q.c, q.t = c, c.t
	r.n++
	return q
}

// oldest returns the queue lent first. r.n > 0.
func (r *dirtyRing) oldest() *pendQueue { return &r.chunks[r.first][r.head] }

// release takes back the oldest queue, which its connection's flush
// emptied (flushQueue), and unbinds it. r.n > 0.
func (r *dirtyRing) release() {
	q := &r.chunks[r.first][r.head]
	q.c.pend = nil // a store: the Conn's line is not waited for
	q.c, q.t = nil, nil
	r.n--
	r.head++
	switch {
	case r.n == 0:
		r.head = 0 // the next fan-out starts at the start of this chunk
	case r.head == pendChunkLen:
		// This chunk is used up: it goes behind the others.
		r.first++
		if r.first == len(r.chunks) {
			r.first = 0
		}
		r.head = 0
	}
}

// grow adds a chunk behind the last one in use, when every chunk is in use:
// the ring is put back in order from first, then the new chunk appended.
func (r *dirtyRing) grow() {
	if r.first != 0 {
		chunks := make([]*pendChunk, 0, 2*len(r.chunks)+1)
		chunks = append(chunks, r.chunks[r.first:]...)
		r.chunks = append(chunks, r.chunks[:r.first]...)
		r.first = 0
	}
	r.chunks = append(r.chunks, newPendChunk())
}

func newPendChunk() *pendChunk {
	ch := new(pendChunk)
	for i := range ch {
		ch[i].bufs = ch[i].first[:0]
	}
	return ch
}
