package packet

import (
	"errors"
	"io"
	"testing"
)

// v4 polling exchanges from protocol.md §2.5 and §6 (bodies of POST and GET).
var payloadV4Cases = []struct {
	name    string
	payload string
	packets []Packet
}{
	{"6.3 text", "4hello", []Packet{txt(Message, "hello")}},
	{"6.4 three texts", "4test1\x1e4test2\x1e4test3",
		[]Packet{txt(Message, "test1"), txt(Message, "test2"), txt(Message, "test3")}},
	{"6.5 text+binary", "4hello\x1ebAQIDBA==",
		[]Packet{txt(Message, "hello"), bin(Message, 1, 2, 3, 4)}},
	{"2.5 binary", "bAQIDBA==", []Packet{bin(Message, 1, 2, 3, 4)}},
	{"6.7 close", "1", []Packet{txt(Close, "")}},
	{"6.8 ping", "2", []Packet{txt(Ping, "")}},
	{"6.8 pong", "3", []Packet{txt(Pong, "")}},
	{"6.9 noop", "6", []Packet{txt(Noop, "")}},
	{"6.27 connect", `40{"sid":"abc"}` + "\x1e" + `42["auth",{}]`,
		[]Packet{txt(Message, `0{"sid":"abc"}`), txt(Message, `2["auth",{}]`)}},
	{"6.28 binary event", `451-["message-back",{"_placeholder":true,"num":0}]` + "\x1ebAQID",
		[]Packet{txt(Message, `51-["message-back",{"_placeholder":true,"num":0}]`), bin(Message, 1, 2, 3)}},
	{"6.29 ack+connect", `4312["x"]` + "\x1e" + `40/custom,{"sid":"s"}` + "\x1e" + `42/custom,["auth",{"token":"t"}]`,
		[]Packet{txt(Message, `312["x"]`), txt(Message, `0/custom,{"sid":"s"}`), txt(Message, `2/custom,["auth",{"token":"t"}]`)}},
	{"empty binary", "b", []Packet{bin(Message)}},
	{"utf8 text", "4€😀中文", []Packet{txt(Message, "€😀中文")}},
	{"open", `0{"sid":"x"}`, []Packet{txt(Open, `{"sid":"x"}`)}},
}

func TestPayloadV4Exchanges(t *testing.T) {
	for _, tt := range payloadV4Cases {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeAll(PayloadV4, []byte(tt.payload))
			if err != nil || !samePackets(got, tt.packets) {
				t.Fatalf("decode = %s, %v; want %s", fmtPackets(got), err, fmtPackets(tt.packets))
			}
			if enc := encodeAll(PayloadV4, tt.packets); string(enc) != tt.payload {
				t.Fatalf("encode = %q, want %q", enc, tt.payload)
			}
		})
	}
}

func TestPayloadV4Errors(t *testing.T) {
	tests := []struct {
		payload string
		err     error
		before  int // packets delivered before the error
	}{
		{"", ErrEmpty, 0},
		{"abc", ErrBadType, 0}, // §6.6
		{"4a\x1e\x1e4b", ErrEmpty, 1},
		{"4a\x1e", ErrEmpty, 1},
		{"\x1e4a", ErrEmpty, 0},
		{"4a\x1e9", ErrBadType, 1},
		{"b!!!!", ErrBadBase64, 0},
		{"bAQIDBA=", ErrBadBase64, 0},
		{"bA", ErrBadBase64, 0},
		{"4a\x1ebAQ=D", ErrBadBase64, 1},
	}
	for _, tt := range tests {
		got, err := decodeAll(PayloadV4, []byte(tt.payload))
		if !errors.Is(err, tt.err) || len(got) != tt.before {
			t.Errorf("%q: got %d packets, err %v; want %d, %v", tt.payload, len(got), err, tt.before, tt.err)
		}
	}
}

func TestPayloadV4LenientBase64(t *testing.T) {
	// Node's Buffer.from(s, "base64") accepts missing padding; so do we.
	got, err := decodeAll(PayloadV4, []byte("bAQIDBA"))
	if err != nil || !samePackets(got, []Packet{bin(Message, 1, 2, 3, 4)}) {
		t.Fatalf("unpadded: %s %v", fmtPackets(got), err)
	}
}

func TestAppendPayloadSeparators(t *testing.T) {
	// One message encoded once, joined into two different sessions' bodies.
	shared := AppendPayloadPacket(nil, bin(Message, 1, 2, 3, 4))
	body := AppendPayloadPacket([]byte("HDR"), txt(Ping, ""))
	body = AppendPayloadSep(body)
	body = append(body, shared...)
	if string(body) != "HDR2\x1ebAQIDBA==" {
		t.Fatalf("body = %q", body)
	}
	if got := AppendPayload(nil, txt(Noop, "")); string(got) != "6" {
		t.Fatalf("first packet got a separator: %q", got)
	}
}

func TestDecodePayloadCallbackError(t *testing.T) {
	stop := errors.New("stop")
	n := 0
	_, err := DecodePayload([]byte("4a\x1e4b\x1e4c"), nil, func(Packet) error {
		n++
		if n == 2 {
			return stop
		}
		return nil
	})
	if err != stop || n != 2 {
		t.Fatalf("err %v after %d packets", err, n)
	}
}

func TestDecodePayloadScratchReuse(t *testing.T) {
	scratch := make([]byte, 0, 64)
	var first []byte
	scratch, err := DecodePayload([]byte("bAQIDBA==\x1ebBQYH"), scratch, func(p Packet) error {
		if first == nil {
			first = p.Data
		}
		return nil
	})
	if err != nil || cap(scratch) != 64 || len(scratch) != 0 {
		t.Fatalf("scratch len %d cap %d err %v", len(scratch), cap(scratch), err)
	}
	// The second binary packet reused the scratch: the first view changed.
	if string(first[:3]) != "\x05\x06\x07" {
		t.Fatalf("scratch was not reused: % x", first)
	}
	// Too small scratch grows and is returned.
	scratch, _ = DecodePayload([]byte("bAQIDBA=="), make([]byte, 0, 1), func(Packet) error { return nil })
	if cap(scratch) < 4 {
		t.Fatalf("scratch not grown: cap %d", cap(scratch))
	}
}

func TestPayloadDecoderIterator(t *testing.T) {
	var d PayloadDecoder
	d.Reset([]byte("4a\x1ebAQ==\x1ex"), PayloadV4)
	p, err := d.Next()
	if err != nil || string(p.Data) != "a" {
		t.Fatalf("1st: %v %v", p, err)
	}
	p, err = d.Next()
	if err != nil || !p.Binary || len(p.Data) != 1 || p.Data[0] != 1 {
		t.Fatalf("2nd: %v %v", p, err)
	}
	if _, err = d.Next(); err != ErrBadType {
		t.Fatalf("3rd: %v", err)
	}
	if _, err = d.Next(); err != ErrBadType {
		t.Fatalf("error must be sticky, got %v", err)
	}
	d.Reset([]byte("6"), PayloadV4)
	if p, err = d.Next(); err != nil || p.Type != Noop {
		t.Fatalf("after Reset: %v %v", p, err)
	}
	for range 2 {
		if _, err = d.Next(); err != io.EOF {
			t.Fatalf("want EOF, got %v", err)
		}
	}
}
