package socketio

import (
	"crypto/rand"
	"encoding/base64"
	"sync/atomic"
)

var idCounter atomic.Uint32

// newSocketID returns a 20-character URL-safe base64 id made of 12 random
// bytes and the 3 low bytes of a counter, like Node's base64id (the counter
// rules out collisions between ids generated close together). Any goroutine.
func newSocketID() string {
	var b [15]byte
	_, _ = rand.Read(b[:12]) // crypto/rand.Read never fails (Go >= 1.24)
	n := idCounter.Add(1)
	b[12], b[13], b[14] = byte(n>>16), byte(n>>8), byte(n)
	return base64.URLEncoding.EncodeToString(b[:])
}
