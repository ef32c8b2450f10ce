package engineio

import (
	"testing"
	"unsafe"
)

// Every connection speaking HTTP holds a connState (a long-polling client
// one for its parked GET's connection, for as long as it polls): 144 bytes
// at most, the next size class below 160.
func TestConnStateIsCompact(t *testing.T) {
	if n := unsafe.Sizeof(connState{}); n > 144 {
		t.Fatalf("connState is %d bytes, want at most 144", n)
	}
	if n := unsafe.Sizeof(pollGet{}); n > 40 {
		t.Fatalf("pollGet is %d bytes, want at most 40", n)
	}
}
