//go:build !race

package packet

import "testing"

// Steady-state decode and encode must not allocate: these run for every
// WebSocket message and every polling request.
func TestAlloc(t *testing.T) {
	text4 := []byte("4test1\x1e4test2\x1e4test3")
	bin4 := []byte("4hello\x1ebAQIDBA==")
	text3 := []byte(`6:4hello10:b4AQIDBA==3:4😀`)
	bin3 := []byte{0x00, 0x06, 0xff, 0x34, 0x68, 0x65, 0x6c, 0x6c, 0x6f, 0x01, 0x05, 0xff, 0x04, 0x01, 0x02, 0x03, 0x04}
	frame := []byte("42[\"message\",1]")
	scratch := make([]byte, 0, 64)
	dst := make([]byte, 0, 256)
	n := 0
	fn := func(p Packet) error { n += len(p.Data); return nil }
	msg := txt(Message, `2["message",{"a":1}]`)
	binMsg := bin(Message, 1, 2, 3, 4, 5, 6, 7, 8)
	h := Handshake{SID: "lv_VI97HAXpY6yYWAAAC", Upgrades: []string{"websocket"}, PingInterval: 25000, PingTimeout: 20000, MaxPayload: 1e6}
	var dec PayloadDecoder
	dec.Scratch = scratch

	cases := []struct {
		name string
		f    func()
	}{
		{"DecodeText", func() { _, _ = DecodeText(frame) }},
		{"DecodeBinary", func() { _, _ = DecodeBinary(frame, false) }},
		{"DecodeBinaryV3", func() { _, _ = DecodeBinary(bin3[12:], true) }},
		{"DecodePayloadText", func() { scratch, _ = DecodePayload(text4, scratch, fn) }},
		{"DecodePayloadBinary", func() { scratch, _ = DecodePayload(bin4, scratch, fn) }},
		{"DecodePayloadV3", func() { scratch, _ = DecodePayloadV3(text3, scratch, fn) }},
		{"DecodeBinaryPayloadV3", func() { scratch, _ = DecodeBinaryPayloadV3(bin3, scratch, fn) }},
		{"PayloadDecoder", func() {
			dec.Reset(bin4, PayloadV4)
			for {
				if _, err := dec.Next(); err != nil {
					break
				}
			}
		}},
		{"AppendText", func() { dst = AppendText(dst[:0], msg) }},
		{"AppendPayload", func() { dst = AppendPayload(AppendPayload(dst[:0], msg), binMsg) }},
		{"AppendPayloadV3", func() { dst = AppendPayloadV3(AppendPayloadV3(dst[:0], msg), binMsg) }},
		{"AppendBinaryPayloadV3", func() { dst = AppendBinaryPayloadV3(AppendBinaryPayloadV3(dst[:0], msg), binMsg) }},
		{"AppendBinaryV3", func() { dst = AppendBinaryV3(dst[:0], binMsg.Data) }},
		{"AppendOpen", func() { dst = AppendOpen(dst[:0], h, false) }},
	}
	for _, c := range cases {
		c.f() // warm the scratch buffer
		if a := testing.AllocsPerRun(100, c.f); a != 0 {
			t.Errorf("%s: %v allocs/op, want 0", c.name, a)
		}
	}
	if n == 0 {
		t.Fatal("callbacks never ran")
	}
}
