package procstat

import (
	"os"
	"testing"
	"time"
)

func TestCPUFromStat(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"1234 (node) S 1 2 3 4 5 6 7 8 9 10 250 50 0 0", 3 * time.Second, true},
		{"1234 (a b) c) R 1 2 3 4 5 6 7 8 9 10 1 2 0 0", 30 * time.Millisecond, true},
		{"garbage", 0, false},
		{"1 (x) S 1 2", 0, false},
	}
	for _, tc := range tests {
		got, err := cpuFromStat([]byte(tc.in))
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("%q: got %v %v", tc.in, got, err)
		}
	}
}

func TestField(t *testing.T) {
	b := []byte("Name:\tx\nVmRSS:\t  12345 kB\nPss:  77 kB\n")
	if v, err := field(b, "VmRSS:"); err != nil || v != 12345 {
		t.Fatal(v, err)
	}
	if _, err := field(b, "Nope:"); err == nil {
		t.Fatal("want error")
	}
}

func TestReadSelf(t *testing.T) {
	s, err := Read(os.Getpid())
	if err != nil || s.RSSKiB <= 0 {
		t.Fatalf("%+v %v", s, err)
	}
	if SelfCPU() <= 0 {
		t.Fatal("self cpu")
	}
}
