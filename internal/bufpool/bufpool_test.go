package bufpool

import "testing"

func TestGetPut(t *testing.T) {
	tests := []struct {
		name  string
		write string
		capN  int
	}{
		{"empty", "", 0},
		{"small", "hello", 0},
		{"withCap", "x", 4096},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := GetCap(tt.capN)
			if b.Len() != 0 {
				t.Fatalf("Get returned non-empty buffer: %q", b.B)
			}
			if cap(b.B) < tt.capN {
				t.Fatalf("cap %d < %d", cap(b.B), tt.capN)
			}
			b.B = append(b.B, tt.write...)
			if string(b.B) != tt.write {
				t.Fatalf("got %q", b.B)
			}
			Put(b)
			b2 := Get()
			if b2.Len() != 0 {
				t.Fatalf("buffer from pool not reset: %q", b2.B)
			}
			Put(b2)
		})
	}
}

func TestPutNil(t *testing.T) {
	Put(nil) // must not panic
}
