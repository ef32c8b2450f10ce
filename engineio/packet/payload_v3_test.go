package packet

import (
	"bytes"
	"errors"
	"testing"
	"unicode/utf16"
)

// v3 text-form exchanges from protocol.md §4, §5 and §6 (EIO=3).
var payloadV3Cases = []struct {
	name    string
	payload string
	packets []Packet
}{
	{"6 message", "6:4hello", []Packet{txt(Message, "hello")}},
	{"4 two", "6:4hello6:4world", []Packet{txt(Message, "hello"), txt(Message, "world")}},
	{"6 b64", "6:4hello10:b4AQIDBA==", []Packet{txt(Message, "hello"), bin(Message, 1, 2, 3, 4)}},
	{"6 ping", "1:2", []Packet{txt(Ping, "")}},
	{"6 pong", "1:3", []Packet{txt(Pong, "")}},
	{"6 noop", "1:6", []Packet{txt(Noop, "")}},
	{"6 close", "1:1", []Packet{txt(Close, "")}},
	{"5 connect+auth", `2:4013:42["auth",{}]`, []Packet{txt(Message, "0"), txt(Message, `2["auth",{}]`)}},
	{"5 nsp connect", "14:40/custom?x=1,", []Packet{txt(Message, "0/custom?x=1,")}},
	{"5 nsp reply", `10:40/custom,28:42/custom,["auth",{"x":"1"}]`,
		[]Packet{txt(Message, "0/custom,"), txt(Message, `2/custom,["auth",{"x":"1"}]`)}},
	{"euro counts 1", "2:4€", []Packet{txt(Message, "€")}},
	{"emoji counts 2", "3:4😀", []Packet{txt(Message, "😀")}},
	{"cjk", "4:4中文字", []Packet{txt(Message, "中文字")}},
	{"mixed", "8:4a😀€中😀", []Packet{txt(Message, "a😀€中😀")}},
	{"emoji then next", "3:4😀1:6", []Packet{txt(Message, "😀"), txt(Noop, "")}},
	{"b64 ping", "6:b2AQ==", []Packet{bin(Ping, 1)}},
	{"b64 empty", "2:b4", []Packet{bin(Message)}},
}

func TestPayloadV3Exchanges(t *testing.T) {
	for _, tt := range payloadV3Cases {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeAll(PayloadV3, []byte(tt.payload))
			if err != nil || !samePackets(got, tt.packets) {
				t.Fatalf("decode = %s, %v; want %s", fmtPackets(got), err, fmtPackets(tt.packets))
			}
			if enc := encodeAll(PayloadV3, tt.packets); string(enc) != tt.payload {
				t.Fatalf("encode = %q, want %q", enc, tt.payload)
			}
		})
	}
}

func TestPayloadV3Handshake(t *testing.T) {
	// §5: Node serving EIO=3 with the suite config; a 20-char sid gives 114.
	h := Handshake{SID: "lv_VI97HAXpY6yYWAAAC", Upgrades: []string{"websocket"},
		PingInterval: 300, PingTimeout: 200, MaxPayload: 1000000}
	open := AppendHandshake(nil, h, true)
	got := AppendPayloadV3(nil, Packet{Type: Open, Data: open})
	want := `114:0{"sid":"lv_VI97HAXpY6yYWAAAC","upgrades":["websocket"],"pingInterval":300,"pingTimeout":200,"maxPayload":1000000}`
	if string(got) != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}

func TestPayloadV3Empty(t *testing.T) {
	// "0:" is how Node writes an empty payload; zero-length packets are skipped.
	for _, in := range []string{"0:", "0:0:", "000:"} {
		got, err := decodeAll(PayloadV3, []byte(in))
		if err != nil || len(got) != 0 {
			t.Errorf("%q: %s %v", in, fmtPackets(got), err)
		}
	}
	got, err := decodeAll(PayloadV3, []byte("0:1:6"))
	if err != nil || !samePackets(got, []Packet{txt(Noop, "")}) {
		t.Errorf("0:1:6: %s %v", fmtPackets(got), err)
	}
}

func TestPayloadV3Errors(t *testing.T) {
	tests := []struct {
		payload string
		err     error
		before  int
	}{
		{"", ErrEmpty, 0},
		{"abc", ErrBadLength, 0},
		{":4a", ErrBadLength, 0},
		{"2", ErrBadLength, 0},        // no ':'
		{"2:4", ErrBadLength, 0},      // declares more than present
		{"1:4hello", ErrBadLength, 1}, // "hello" is not a length
		{"99999999999999999999999999:4", ErrBadLength, 0},
		{"2:4😀", ErrBadLength, 0}, // ends inside a surrogate pair
		{"4:4😀", ErrBadLength, 0}, // emoji counts 2, so 3 units are present
		{"1:a", ErrBadType, 0},
		{"1:b", ErrBadType, 0},
		{"2:b9", ErrBadType, 0},
		{"4:b4!!", ErrBadBase64, 0},
		{"6:4hello1:", ErrBadLength, 1},
		{" 6:4hello", ErrBadLength, 0},
		{"-1:4", ErrBadLength, 0},
	}
	for _, tt := range tests {
		got, err := decodeAll(PayloadV3, []byte(tt.payload))
		if !errors.Is(err, tt.err) || len(got) != tt.before {
			t.Errorf("%q: got %s err %v; want %d packets, %v", tt.payload, fmtPackets(got), err, tt.before, tt.err)
		}
	}
}

func TestUTF16Len(t *testing.T) {
	valid := []string{"", "hello", "€", "😀", "中文", "a😀b€c𝕊", "\u07ff\u0800\uffff\U00010000\U0010ffff"}
	for _, s := range valid {
		if got, want := utf16Len([]byte(s)), len(utf16.Encode([]rune(s))); got != want {
			t.Errorf("utf16Len(%q) = %d, want %d", s, got, want)
		}
	}
	// Invalid UTF-8: one unit per WHATWG U+FFFD (maximal subpart).
	invalid := []struct {
		in   string
		want int
	}{
		{"\xff", 1},
		{"\xe2\x82A", 2},        // truncated 3-byte sequence = 1 U+FFFD, then 'A'
		{"\xe2\x82", 1},         // truncated at the end
		{"\xf0\x9f\x98", 1},     // truncated 4-byte sequence
		{"\xf0\x9f\x98A", 2},    // ... followed by ASCII
		{"\xc0\x80", 2},         // overlong: two stray bytes
		{"\xed\xa0\x80", 3},     // encoded surrogate: ED then two stray bytes
		{"\xf4\x90\x80\x80", 4}, // above U+10FFFF
		{"\x80\x80", 2},
		{"\xe0\x80\x80", 3}, // overlong 3-byte
		{"\xf0\x80", 2},
	}
	for _, tt := range invalid {
		if got := utf16Len([]byte(tt.in)); got != tt.want {
			t.Errorf("utf16Len(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestPayloadV3InvalidUTF8RoundTrip(t *testing.T) {
	ps := []Packet{txt(Message, "\xe2\x82"), txt(Message, "x\xf0\x9f"), txt(Noop, "")}
	got, err := decodeAll(PayloadV3, encodeAll(PayloadV3, ps))
	if err != nil || !samePackets(got, ps) {
		t.Fatalf("%s %v", fmtPackets(got), err)
	}
}

// XHR2 binary form, §4 and §6: "4hello" + binary message 01 02 03 04.
func TestBinaryPayloadV3Exchange(t *testing.T) {
	wire := []byte{0x00, 0x06, 0xff, 0x34, 0x68, 0x65, 0x6c, 0x6c, 0x6f, 0x01, 0x05, 0xff, 0x04, 0x01, 0x02, 0x03, 0x04}
	ps := []Packet{txt(Message, "hello"), bin(Message, 1, 2, 3, 4)}
	if enc := encodeAll(PayloadV3Binary, ps); !bytes.Equal(enc, wire) {
		t.Fatalf("encode = % x\nwant     % x", enc, wire)
	}
	got, err := decodeAll(PayloadV3Binary, wire)
	if err != nil || !samePackets(got, ps) {
		t.Fatalf("decode = %s %v", fmtPackets(got), err)
	}
}

func TestBinaryPayloadV3Cases(t *testing.T) {
	long := bytes.Repeat([]byte{7}, 1234)
	tests := []struct {
		name string
		wire []byte
		ps   []Packet
	}{
		{"noop", []byte{0, 1, 0xff, '6'}, []Packet{txt(Noop, "")}},
		{"multi-digit length", append([]byte{1, 1, 2, 3, 5, 0xff, 4}, long...), []Packet{{Type: Message, Data: long, Binary: true}}},
		{"utf8 counts bytes", append([]byte{0, 5, 0xff, '4'}, "😀"...), []Packet{txt(Message, "😀")}},
	}
	for _, tt := range tests {
		if enc := encodeAll(PayloadV3Binary, tt.ps); !bytes.Equal(enc, tt.wire) {
			t.Errorf("%s: encode = % x, want % x", tt.name, enc[:min(len(enc), 16)], tt.wire[:min(len(tt.wire), 16)])
		}
		got, err := decodeAll(PayloadV3Binary, tt.wire)
		if err != nil || !samePackets(got, tt.ps) {
			t.Errorf("%s: decode %v", tt.name, err)
		}
	}
	// A base64 text packet inside the binary form is accepted, as in Node.
	got, err := decodeAll(PayloadV3Binary, []byte("\x00\x06\xffb4AQ=="))
	if err != nil || !samePackets(got, []Packet{bin(Message, 1)}) {
		t.Errorf("b64 in binary form: %s %v", fmtPackets(got), err)
	}
}

func TestBinaryPayloadV3Errors(t *testing.T) {
	tests := []struct {
		name   string
		wire   string
		err    error
		before int
	}{
		{"empty", "", ErrEmpty, 0},
		{"bad marker", "\x02\x01\xff4", ErrBadFormat, 0},
		{"no digits", "\x00\xff4", ErrBadLength, 0},
		{"digit > 9", "\x00\x0a\xff4", ErrBadLength, 0},
		{"no 0xff", "\x00\x01\x02", ErrBadLength, 0},
		{"too long", "\x00\x05\xff4a", ErrBadLength, 0},
		{"huge", "\x00\x09\x09\x09\x09\x09\x09\x09\x09\x09\x09\x09\x09\x09\x09\x09\x09\x09\x09\x09\x09\xff4", ErrBadLength, 0},
		{"zero", "\x00\x00\xff", ErrEmpty, 0},
		{"bad text type", "\x00\x01\xffx", ErrBadType, 0},
		{"bad binary type", "\x01\x01\xff\x09", ErrBadType, 0},
		{"second bad", "\x00\x01\xff6\x03", ErrBadFormat, 1},
		{"bad base64", "\x00\x04\xffb4!!", ErrBadBase64, 0},
	}
	for _, tt := range tests {
		got, err := decodeAll(PayloadV3Binary, []byte(tt.wire))
		if !errors.Is(err, tt.err) || len(got) != tt.before {
			t.Errorf("%s: got %d packets, err %v; want %d, %v", tt.name, len(got), err, tt.before, tt.err)
		}
	}
}

func TestUTF16Prefix(t *testing.T) {
	s := []byte("abcdefghijklmnop€😀qrstuvwxyz0123456789中文\xe2\x82ABCDEFGHIJ😀")
	total := utf16Len(s)
	for n := 0; n <= total+1; n++ {
		end := utf16Prefix(s, n)
		if end < 0 {
			if n <= total && utf16Prefix(s, n+1) < 0 && utf16Prefix(s, n-1) < 0 {
				t.Errorf("n=%d: two consecutive unit counts unreachable", n)
			}
			continue
		}
		if got := utf16Len(s[:end]); got != n {
			t.Errorf("n=%d: prefix %d bytes has %d units", n, end, got)
		}
	}
	if utf16Prefix(s, total) != len(s) || utf16Prefix(s, total+1) != -1 {
		t.Error("whole-string bounds wrong")
	}
}
