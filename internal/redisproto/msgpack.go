package redisproto

import (
	"math"

	"github.com/sio-fast/sio-fast/internal/msgpackx"
)

// appendStrArray writes ss as an array of str (the writers are
// msgpackx's, in notepack.io's forms).
func appendStrArray(dst []byte, ss []string) []byte {
	dst = msgpackx.AppendArrayHeader(dst, len(ss))
	for _, s := range ss {
		dst = msgpackx.AppendStr(dst, s)
	}
	return dst
}

// headerLen is the size of the smallest array or map header for n items.
func headerLen(n int) int {
	switch {
	case n < 16:
		return 1
	case n <= math.MaxUint16:
		return 3
	}
	return 5
}
