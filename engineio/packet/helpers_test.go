package packet

import (
	"bytes"
	"fmt"
	"strings"
)

// owned returns a copy of p whose Data no longer aliases decoder memory.
func owned(p Packet) Packet {
	q := p.Clone()
	if len(p.Data) > 0 && &q.Data[0] == &p.Data[0] {
		panic("Clone did not copy")
	}
	return q
}

// decodeAll decodes a payload of format f into owned packets.
func decodeAll(f PayloadFormat, b []byte) ([]Packet, error) {
	var out []Packet
	collect := func(p Packet) error { out = append(out, owned(p)); return nil }
	var err error
	switch f {
	case PayloadV3:
		_, err = DecodePayloadV3(b, nil, collect)
	case PayloadV3Binary:
		_, err = DecodeBinaryPayloadV3(b, nil, collect)
	default:
		_, err = DecodePayload(b, nil, collect)
	}
	return out, err
}

// encodeAll encodes ps as one payload of format f.
func encodeAll(f PayloadFormat, ps []Packet) []byte {
	var b []byte
	for _, p := range ps {
		switch f {
		case PayloadV3:
			b = AppendPayloadV3(b, p)
		case PayloadV3Binary:
			b = AppendBinaryPayloadV3(b, p)
		default:
			b = AppendPayload(b, p)
		}
	}
	return b
}

func samePackets(a, b []Packet) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Type != b[i].Type || a[i].Binary != b[i].Binary || !bytes.Equal(a[i].Data, b[i].Data) {
			return false
		}
	}
	return true
}

func fmtPackets(ps []Packet) string {
	var sb strings.Builder
	for _, p := range ps {
		fmt.Fprintf(&sb, "{%v %q bin=%v} ", p.Type, p.Data, p.Binary)
	}
	return sb.String()
}

// txt and bin build packets for tables.
func txt(t Type, s string) Packet { return Packet{Type: t, Data: []byte(s)} }
func bin(t Type, b ...byte) Packet {
	return Packet{Type: t, Data: append([]byte{}, b...), Binary: true}
}
