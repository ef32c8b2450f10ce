package packet

import (
	"bytes"
	"testing"
)

// packetsFrom turns fuzz bytes into a list of packets: per packet a control
// byte (type = c%7, binary = c&0x80), a length byte, then that many bytes.
// For v4, binary packets are messages and text must not hold the separator.
func packetsFrom(b []byte, v4 bool) []Packet {
	var ps []Packet
	for len(b) >= 2 && len(ps) < 64 {
		c, n := b[0], int(b[1])
		b = b[2:]
		n = min(n, len(b))
		p := Packet{Type: Type(c % 7), Data: append([]byte{}, b[:n]...), Binary: c&0x80 != 0}
		b = b[n:]
		if v4 {
			if p.Binary {
				p.Type = Message
			} else {
				p.Data = bytes.ReplaceAll(p.Data, []byte{Separator}, []byte{0x1f})
			}
		}
		ps = append(ps, p)
	}
	return ps
}

var formats = []PayloadFormat{PayloadV4, PayloadV3, PayloadV3Binary}

func addPayloadSeeds(f *testing.F) {
	for _, c := range payloadV4Cases {
		f.Add([]byte(c.payload))
	}
	for _, c := range payloadV3Cases {
		f.Add([]byte(c.payload))
	}
	f.Add([]byte{0x00, 0x06, 0xff, 0x34, 0x68, 0x65, 0x6c, 0x6c, 0x6f, 0x01, 0x05, 0xff, 0x04, 0x01, 0x02, 0x03, 0x04})
	f.Add([]byte("0:"))
	f.Add([]byte("2:4\xe2\x82"))
	f.Add([]byte(""))
}

// checkReencode asserts that what decodes re-encodes to something that
// decodes to the same packets.
func checkReencode(t *testing.T, f PayloadFormat, in []byte) {
	ps, err := decodeAll(f, in)
	if err != nil || len(ps) == 0 {
		return
	}
	enc := encodeAll(f, ps)
	again, err := decodeAll(f, enc)
	if err != nil || !samePackets(ps, again) {
		t.Fatalf("format %d: %q → %s → %q → %s %v", f, in, fmtPackets(ps), enc, fmtPackets(again), err)
	}
	// The iterator sees exactly what the callback decoder sees.
	var d PayloadDecoder
	d.Reset(in, f)
	for i := 0; ; i++ {
		p, err := d.Next()
		if err != nil {
			if i != len(ps) {
				t.Fatalf("iterator stopped after %d of %d: %v", i, len(ps), err)
			}
			break
		}
		if !samePackets([]Packet{p}, ps[i:i+1]) {
			t.Fatalf("iterator packet %d differs", i)
		}
	}
}

func FuzzDecodePayload(f *testing.F) {
	addPayloadSeeds(f)
	f.Fuzz(func(t *testing.T, in []byte) { checkReencode(t, PayloadV4, in) })
}

func FuzzDecodePayloadV3(f *testing.F) {
	addPayloadSeeds(f)
	f.Fuzz(func(t *testing.T, in []byte) { checkReencode(t, PayloadV3, in) })
}

func FuzzDecodeBinaryPayloadV3(f *testing.F) {
	addPayloadSeeds(f)
	f.Fuzz(func(t *testing.T, in []byte) { checkReencode(t, PayloadV3Binary, in) })
}

// FuzzDecodeFrame checks the WebSocket frame decoders never panic and that
// text frames round-trip byte for byte.
func FuzzDecodeFrame(f *testing.F) {
	f.Add([]byte("4hello"), false)
	f.Add([]byte{4, 1, 2, 3}, true)
	f.Add([]byte{}, true)
	f.Fuzz(func(t *testing.T, in []byte, v3 bool) {
		if p, err := DecodeText(in); err == nil {
			if out := AppendText(nil, p); !bytes.Equal(out, in) {
				t.Fatalf("text %q → %q", in, out)
			}
		}
		if p, err := DecodeBinary(in, v3); err == nil && v3 && p.Type == Message {
			if out := AppendBinaryV3(nil, p.Data); !bytes.Equal(out, in) {
				t.Fatalf("binary v3 % x → % x", in, out)
			}
		}
	})
}

// FuzzRoundTrip encodes random packets in every form and decodes them back.
func FuzzRoundTrip(f *testing.F) {
	f.Add([]byte{4, 5, 'h', 'e', 'l', 'l', 'o', 0x84, 4, 1, 2, 3, 4})
	f.Add([]byte{4, 4, 0xf0, 0x9f, 0x98, 0x80, 2, 0, 0x82, 2, 0xe2, 0x82})
	f.Add([]byte{4, 3, 'a', 0x1e, 'b'})
	f.Fuzz(func(t *testing.T, in []byte) {
		for _, fm := range formats {
			ps := packetsFrom(in, fm == PayloadV4)
			if len(ps) == 0 {
				return
			}
			got, err := decodeAll(fm, encodeAll(fm, ps))
			if err != nil || !samePackets(got, ps) {
				t.Fatalf("format %d: %s → %s %v", fm, fmtPackets(ps), fmtPackets(got), err)
			}
		}
		for _, p := range packetsFrom(in, false) {
			var got Packet
			var err error
			switch {
			case !p.Binary:
				got, err = DecodeText(AppendText(nil, p))
			case p.Type == Message:
				got, err = DecodeBinary(AppendBinaryV3(nil, p.Data), true)
			default:
				continue
			}
			if err != nil || !samePackets([]Packet{got}, []Packet{p}) {
				t.Fatalf("frame %s → %s %v", fmtPackets([]Packet{p}), fmtPackets([]Packet{got}), err)
			}
		}
	})
}

// FuzzPayloadSplit is the split-feed property for whole-body payloads:
// packets encoded together as one payload decode to the same list as each
// packet encoded and decoded alone.
func FuzzPayloadSplit(f *testing.F) {
	f.Add([]byte{4, 5, 'h', 'e', 'l', 'l', 'o', 0x84, 4, 1, 2, 3, 4, 6, 0})
	f.Add([]byte{4, 4, 0xf0, 0x9f, 0x98, 0x80, 4, 1, 0xe2})
	f.Fuzz(func(t *testing.T, in []byte) {
		for _, fm := range formats {
			ps := packetsFrom(in, fm == PayloadV4)
			if len(ps) == 0 {
				return
			}
			whole, err := decodeAll(fm, encodeAll(fm, ps))
			if err != nil {
				t.Fatalf("format %d whole: %v", fm, err)
			}
			var parts []Packet
			for _, p := range ps {
				one, err := decodeAll(fm, encodeAll(fm, []Packet{p}))
				if err != nil {
					t.Fatalf("format %d alone: %v", fm, err)
				}
				parts = append(parts, one...)
			}
			if !samePackets(whole, parts) {
				t.Fatalf("format %d: whole %s != parts %s", fm, fmtPackets(whole), fmtPackets(parts))
			}
		}
	})
}
