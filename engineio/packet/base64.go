package packet

import "encoding/base64"

// decodeBase64 decodes src into scratch (grown when too small) and returns
// the decoded bytes and the possibly grown scratch. Padded standard base64
// is what every client sends; unpadded input is accepted as well because
// Node (Buffer.from(s, "base64")) accepts it. Like encoding/base64, CR and
// LF characters are skipped. Growth is bounded by len(src), never by a
// length the peer declared.
func decodeBase64(scratch, src []byte) (data, grown []byte, err error) {
	enc := base64.StdEncoding
	if len(src)%4 != 0 {
		enc = base64.RawStdEncoding
	}
	need := enc.DecodedLen(len(src))
	if cap(scratch) < need {
		scratch = make([]byte, need, max(need, 2*cap(scratch)))
	}
	n, err := enc.Decode(scratch[:need], src)
	if err != nil {
		return nil, scratch[:0], ErrBadBase64
	}
	return scratch[:n], scratch[:0], nil
}

// appendBase64 appends the padded standard base64 of data.
func appendBase64(dst, data []byte) []byte {
	return base64.StdEncoding.AppendEncode(dst, data)
}

// base64Len is the length of the padded standard base64 of n bytes.
func base64Len(n int) int { return base64.StdEncoding.EncodedLen(n) }
