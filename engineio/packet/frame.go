package packet

// DecodeText decodes one WebSocket text message (identical in v3 and v4):
// a type digit followed by the data. Data aliases b[1:].
// Safe from any goroutine.
func DecodeText(b []byte) (Packet, error) {
	if len(b) == 0 {
		return Packet{}, ErrEmpty
	}
	t := Type(b[0] - '0') // bytes below '0' wrap around to large values
	if t > maxType {
		return Packet{}, ErrBadType
	}
	return Packet{Type: t, Data: b[1:]}, nil
}

// DecodeBinary decodes one WebSocket binary message. In v4 the whole frame
// is the data of a binary Message (an empty frame is an empty message). In
// v3 the first byte is the raw packet type (0x04 for a message) and the rest
// is the data. Data aliases b. Safe from any goroutine.
func DecodeBinary(b []byte, v3 bool) (Packet, error) {
	if !v3 {
		return Packet{Type: Message, Data: b, Binary: true}, nil
	}
	if len(b) == 0 {
		return Packet{}, ErrEmpty
	}
	t := Type(b[0])
	if t > maxType {
		return Packet{}, ErrBadType
	}
	return Packet{Type: t, Data: b[1:], Binary: true}, nil
}

// AppendText appends the WebSocket text form of p (type digit + data) to
// dst. p.Binary is ignored: binary data must go out in a binary frame (the
// raw data in v4, AppendBinaryV3 in v3). Safe from any goroutine.
func AppendText(dst []byte, p Packet) []byte {
	dst = append(dst, p.Type.digit())
	return append(dst, p.Data...)
}

// AppendBinaryV3 appends the v3 WebSocket binary form of a binary message:
// the raw type byte 0x04 then data. (In v4 the frame payload is data itself
// and needs no encoding.) Safe from any goroutine.
func AppendBinaryV3(dst []byte, data []byte) []byte {
	dst = append(dst, byte(Message))
	return append(dst, data...)
}
