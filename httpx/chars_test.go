package httpx

import (
	"math/rand/v2"
	"testing"
)

// TestSpansMatchTable: the word-at-a-time targetSpan and valueSpan agree
// with a byte-at-a-time walk of byteClass for every byte value at every
// position of a word and of the tail, and for random mixes (several odd
// bytes in one word, where a borrow could hide or invent one).
func TestSpansMatchTable(t *testing.T) {
	walk := func(b []byte, c uint8) int {
		i := 0
		for i < len(b) && byteClass[b[i]]&c != 0 {
			i++
		}
		return i
	}
	check := func(b []byte) {
		t.Helper()
		if got, want := targetSpan(b), walk(b, classTarget); got != want {
			t.Fatalf("targetSpan(%q) = %d, want %d", b, got, want)
		}
		if got, want := valueSpan(b), walk(b, classValue); got != want {
			t.Fatalf("valueSpan(%q) = %d, want %d", b, got, want)
		}
	}
	for n := 0; n <= 20; n++ {
		for pos := 0; pos < n; pos++ {
			for v := range 256 {
				b := []byte("abcdefghijklmnopqrstuvwxyz"[:n])
				b[pos] = byte(v)
				check(b)
			}
		}
	}
	r := rand.New(rand.NewPCG(5, 6))
	odd := []byte{0, '\t', '\n', '\r', 0x1f, ' ', '!', 0x7e, 0x7f, 0x80, 0xff}
	for range 200_000 {
		b := make([]byte, r.IntN(40))
		for i := range b {
			b[i] = byte(r.IntN(256))
			if r.IntN(2) == 0 {
				b[i] = odd[r.IntN(len(odd))]
			} else if r.IntN(2) == 0 {
				b[i] = 'a' + byte(r.IntN(26))
			}
		}
		check(b)
	}
}
