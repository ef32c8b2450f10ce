package socketio

import (
	"testing"
	"unsafe"
)

// A large server holds one conn and one Socket per idle connection: their
// sizes are kept within their size classes on purpose (docs/benchmarks.md,
// "Idle memory per connection").
func TestPerConnectionStructsAreCompact(t *testing.T) {
	if n := unsafe.Sizeof(conn{}); n > 64 {
		t.Errorf("conn is %d bytes, want at most 64", n)
	}
	if n := unsafe.Sizeof(Socket{}); n > 128 {
		t.Errorf("Socket is %d bytes, want at most 128", n)
	}
}

// An argument table goes back to the pool without references into the
// message it split, and a huge one is not kept.
func TestArgTablesKeepNoMessage(t *testing.T) {
	table := getArgTable()
	elems, err := splitArgs(*table, []byte(`1,"two",{"three":3}`))
	if err != nil || len(elems) != 3 {
		t.Fatalf("split: %d elems, err %v", len(elems), err)
	}
	*table = elems
	putArgTable(table)
	if len(*table) != 0 || (*table)[:3][0] != nil {
		t.Fatal("table given back still referencing the message")
	}
	big := make([][]byte, 0, maxPooledArgs+1)
	big = append(big, []byte("x"))
	putArgTable(&big) // dropped, not pooled: nothing to observe but no panic
	if len(big) != 1 {
		t.Fatal("a table too large to pool was changed")
	}
}

// Args are boxed whenever they are emitted or acked: they stay in the
// 64-byte size class.
func TestArgsFitSixtyFourBytes(t *testing.T) {
	if n := unsafe.Sizeof(Args{}); n > 64 {
		t.Errorf("Args is %d bytes, want at most 64", n)
	}
}
