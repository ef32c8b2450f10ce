//go:build !race

package engineio

import "testing"

// pickEncoding runs for every polling GET: it must not allocate.
func TestPickEncodingAllocs(t *testing.T) {
	h := []byte("gzip;q=0.8, deflate;q=0.9, br, *;q=0")
	if n := testing.AllocsPerRun(100, func() { _ = pickEncoding(h) }); n != 0 {
		t.Fatalf("pickEncoding allocates %v times", n)
	}
}
