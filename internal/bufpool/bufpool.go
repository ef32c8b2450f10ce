package bufpool

import "github.com/valyala/bytebufferpool"

// Buffer is the pooled byte buffer. Its B field may be appended to freely;
// Put resets it. It is an alias so that callers can use the full
// bytebufferpool.ByteBuffer API (Write, WriteString, Set, Len...).
type Buffer = bytebufferpool.ByteBuffer

// Get returns an empty buffer from the shared pool. Safe from any goroutine.
func Get() *Buffer { return bytebufferpool.Get() }

// Put returns b to the shared pool; b must not be used afterwards. A nil b is
// ignored so that release paths need no check. Oversized buffers are dropped
// by the pool itself (after calibration), which keeps one huge message from
// pinning memory forever. Safe from any goroutine.
func Put(b *Buffer) {
	if b != nil {
		bytebufferpool.Put(b)
	}
}

// GetCap returns an empty buffer whose B has capacity of at least n, so a
// caller that knows the size it is about to write grows it at most once.
// n must come from our own data, never from a length declared by a peer.
// Safe from any goroutine.
func GetCap(n int) *Buffer {
	b := bytebufferpool.Get()
	if cap(b.B) < n {
		b.B = make([]byte, 0, n)
	}
	return b
}
