package packet

// Separator joins the packets of a v4 polling payload (ASCII record
// separator). Text data must not contain it: the protocol has no escape,
// and a peer would split the packet there.
const Separator byte = 0x1e

// AppendPayloadPacket appends p in v4 polling form, without any separator:
// a text packet as type digit + data, a binary packet as "b" + standard
// base64 of the data (the type is implied: only messages can be binary).
//
// The bytes are the same for every recipient, so a broadcast encodes a
// message once and each session joins the shared bytes into its payload
// with AppendPayloadSep. Safe from any goroutine.
func AppendPayloadPacket(dst []byte, p Packet) []byte {
	if p.Binary {
		dst = append(dst, 'b')
		return appendBase64(dst, p.Data)
	}
	dst = append(dst, p.Type.digit())
	return append(dst, p.Data...)
}

// AppendPayloadSep appends the 0x1E separator that must precede every
// packet of a v4 payload except the first. Safe from any goroutine.
func AppendPayloadSep(dst []byte) []byte { return append(dst, Separator) }

// AppendPayload appends p to the v4 payload held in dst, preceded by a
// separator when dst is not empty. dst must therefore hold only the
// payload (for example a body buffer sliced to [:0] before the first
// packet); when the payload follows other bytes in the same buffer, use
// AppendPayloadSep and AppendPayloadPacket. Safe from any goroutine.
func AppendPayload(dst []byte, p Packet) []byte {
	if len(dst) > 0 {
		dst = append(dst, Separator)
	}
	return AppendPayloadPacket(dst, p)
}

// DecodePayload decodes a v4 polling payload (a whole HTTP body), calling fn
// for each packet in order. It stops at the first invalid packet and
// returns its error, or at the first error fn returns.
//
// Binary packets are base64-decoded into scratch, grown when too small; the
// returned slice (length 0, capacity kept) should be passed to the next
// call, after which decoding allocates nothing. Packet.Data is valid only
// until fn returns. Errors: ErrEmpty (empty body or an empty packet between
// separators), ErrBadType, ErrBadBase64. Text data is not checked for
// valid UTF-8; the layer above parses it. Safe from any goroutine.
func DecodePayload(b []byte, scratch []byte, fn func(Packet) error) ([]byte, error) {
	var d PayloadDecoder
	d.Scratch = scratch
	d.Reset(b, PayloadV4)
	return d.each(fn)
}

// decodePieceV4 decodes one packet split out of a v4 payload.
func (d *PayloadDecoder) decodePieceV4(piece []byte) (Packet, error) {
	if len(piece) > 0 && piece[0] == 'b' {
		data, scratch, err := decodeBase64(d.Scratch, piece[1:])
		d.Scratch = scratch
		if err != nil {
			return Packet{}, err
		}
		return Packet{Type: Message, Data: data, Binary: true}, nil
	}
	return DecodeText(piece)
}
