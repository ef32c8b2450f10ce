package packet

import (
	"bytes"
	"errors"
	"testing"
)

func TestTypeString(t *testing.T) {
	want := []string{"open", "close", "ping", "pong", "message", "upgrade", "noop", "invalid"}
	for i, w := range want {
		if got := Type(i).String(); got != w {
			t.Errorf("Type(%d).String() = %q, want %q", i, got, w)
		}
		if Type(i).Valid() != (i <= 6) {
			t.Errorf("Type(%d).Valid() wrong", i)
		}
	}
	if Type(255).String() != "invalid" {
		t.Error("Type(255) should be invalid")
	}
}

func TestDecodeText(t *testing.T) {
	tests := []struct {
		in   string
		want Packet
		err  error
	}{
		{"4hello", txt(Message, "hello"), nil},           // §6.11
		{"2probe", txt(Ping, "probe"), nil},              // §2.7
		{"3probe", txt(Pong, "probe"), nil},              // §2.7
		{"5", txt(Upgrade, ""), nil},                     // §2.7
		{"1", txt(Close, ""), nil},                       // §6.12
		{"2", txt(Ping, ""), nil},                        // §6.13
		{"3", txt(Pong, ""), nil},                        // §6.13
		{"6", txt(Noop, ""), nil},                        // §2.7
		{"0{}", txt(Open, "{}"), nil},                    // open
		{"42[\"foo\"]", txt(Message, "2[\"foo\"]"), nil}, // §1
		{"4€😀", txt(Message, "€😀"), nil},
		{"", Packet{}, ErrEmpty},
		{"abc", Packet{}, ErrBadType}, // §6.12
		{"7", Packet{}, ErrBadType},
		{"/", Packet{}, ErrBadType},
		{"b4AQ==", Packet{}, ErrBadType}, // "b" only exists in polling payloads
		{"\x04", Packet{}, ErrBadType},
	}
	for _, tt := range tests {
		got, err := DecodeText([]byte(tt.in))
		if !errors.Is(err, tt.err) {
			t.Errorf("DecodeText(%q) err = %v, want %v", tt.in, err, tt.err)
			continue
		}
		if err == nil && !samePackets([]Packet{got}, []Packet{tt.want}) {
			t.Errorf("DecodeText(%q) = %s, want %s", tt.in, fmtPackets([]Packet{got}), fmtPackets([]Packet{tt.want}))
		}
		if err == nil {
			if enc := AppendText(nil, got); string(enc) != tt.in {
				t.Errorf("AppendText round trip = %q, want %q", enc, tt.in)
			}
		}
	}
}

func TestDecodeTextAliases(t *testing.T) {
	in := []byte("4hello")
	p, _ := DecodeText(in)
	in[1] = 'H'
	if string(p.Data) != "Hello" {
		t.Fatal("Data must alias the input (zero copy)")
	}
}

func TestDecodeBinary(t *testing.T) {
	tests := []struct {
		in   []byte
		v3   bool
		want Packet
		err  error
	}{
		{[]byte{1, 2, 3, 4}, false, bin(Message, 1, 2, 3, 4), nil},   // §6.11
		{[]byte{4, 1, 2, 3}, false, bin(Message, 4, 1, 2, 3), nil},   // v4: no type byte
		{[]byte{}, false, bin(Message), nil},                         // empty binary message
		{[]byte{4, 1, 2, 3, 4}, true, bin(Message, 1, 2, 3, 4), nil}, // §4 v3 frame
		{[]byte{4}, true, bin(Message), nil},
		{[]byte{2, 9}, true, bin(Ping, 9), nil},
		{[]byte{}, true, Packet{}, ErrEmpty},
		{[]byte{7, 1}, true, Packet{}, ErrBadType},
		{[]byte{'4', 1}, true, Packet{}, ErrBadType},
	}
	for _, tt := range tests {
		got, err := DecodeBinary(tt.in, tt.v3)
		if !errors.Is(err, tt.err) {
			t.Errorf("DecodeBinary(% x, %v) err = %v, want %v", tt.in, tt.v3, err, tt.err)
			continue
		}
		if err == nil && !samePackets([]Packet{got}, []Packet{tt.want}) {
			t.Errorf("DecodeBinary(% x, %v) = %s, want %s", tt.in, tt.v3, fmtPackets([]Packet{got}), fmtPackets([]Packet{tt.want}))
		}
	}
}

func TestAppendFrames(t *testing.T) {
	if got := AppendText([]byte("x"), txt(Message, "hello")); string(got) != "x4hello" {
		t.Errorf("AppendText = %q", got)
	}
	if got := AppendText(nil, bin(Message, 'a')); string(got) != "4a" {
		t.Errorf("AppendText ignores Binary: got %q", got)
	}
	// §4: v3 WebSocket binary message <01 02 03 04> is the frame 04 01 02 03 04.
	if got := AppendBinaryV3(nil, []byte{1, 2, 3, 4}); !bytes.Equal(got, []byte{4, 1, 2, 3, 4}) {
		t.Errorf("AppendBinaryV3 = % x", got)
	}
}
