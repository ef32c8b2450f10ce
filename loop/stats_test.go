package loop

import (
	"io"
	"testing"
	"time"
)

// TestStatsCountTraffic: bytes consumed by the handler and bytes written
// are counted once each (a partial consume offers the rest again without
// counting it twice); the loop's turns and (WithBusyTime) busy time grow
// with them.
func TestStatsCountTraffic(t *testing.T) {
	// Consumes whole 4-byte words; a partial word is offered again with
	// the next bytes.
	words := func(c *Conn, in []byte) int {
		n := len(in) / 4 * 4
		if n == 0 {
			return 0
		}
		return echoData(c, in[:n])
	}
	s := startServer(t, &funcHandler{data: words}, WithBusyTime(true))
	nc := dial(t, s)
	buf := make([]byte, 8)
	if _, err := nc.Write([]byte("abcdef")); err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadFull(nc, buf[:4]); err != nil {
		t.Fatal(err)
	}
	if _, err := nc.Write([]byte("gh")); err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadFull(nc, buf[4:]); err != nil || string(buf) != "abcdefgh" {
		t.Fatalf("%q %v", buf, err)
	}
	// The loop counts a flush after its write returns, so the client may
	// read the bytes first: wait for the counters to catch up.
	deadline := time.Now().Add(5 * time.Second)
	st := s.Stats()
	for (st.BytesOut < 8 || st.Flushes < 2) && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
		st = s.Stats()
	}
	if st.BytesIn != 8 || st.BytesOut != 8 || st.Reads < 2 || st.Flushes < 2 {
		t.Fatalf("%+v", st)
	}
	// Two reads, an open: at least three turns, each some time at work.
	if st.Turns < 3 || st.Busy <= 0 {
		t.Fatalf("turns %d, busy %v", st.Turns, st.Busy)
	}
}
