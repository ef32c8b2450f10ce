package msgpack

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
	"testing"
	"unicode/utf8"

	"github.com/sio-fast/sio-fast/socketio/parser"
)

// FuzzDecode: no panic; errors match parser.ErrInvalidPacket; a decoded
// packet has valid JSON data whose placeholders all refer to attachments,
// and re-encodes to a message that decodes to the same packet.
func FuzzDecode(f *testing.F) {
	for _, g := range golden {
		msg, _ := hex.DecodeString(g.hex)
		f.Add(msg)
	}
	f.Fuzz(func(t *testing.T, msg []byte) {
		d := Parser{}.NewDecoder(nil)
		p, err := d.Decode(msg, true)
		if err != nil {
			if !errors.Is(err, parser.ErrInvalidPacket) {
				t.Fatalf("error %v is not ErrInvalidPacket", err)
			}
			return
		}
		if p.Data != nil && !json.Valid(p.Data) {
			t.Fatalf("invalid JSON %q", p.Data)
		}
		if p.Data != nil {
			if _, err := parser.Reconstruct(p.Data, p.Attachments); err != nil {
				t.Fatalf("placeholders do not match attachments: %v", err)
			}
		}
		if p.Type == parser.Event {
			if _, _, err := parser.SplitEvent(p.Data); err != nil {
				t.Fatalf("decoded event does not split: %v", err)
			}
		}
		want := clonePacket(p)
		enc, _, err := Parser{}.AppendPacket(nil, p)
		if err != nil {
			t.Fatalf("re-encode %+v (%s): %v", want, want.Data, err)
		}
		p2, err := Parser{}.NewDecoder(nil).Decode(enc, true)
		if err != nil || !sameJSON(p2.Data, want.Data) {
			t.Fatalf("round trip:\n got %+v %s (%v)\nwant %+v %s", p2, dataOf(p2), err, want, want.Data)
		}
		p2.Data = want.Data // invalid UTF-8 was written \ufffd, it comes back as the character
		if !samePacket(p2, &want) {
			t.Fatalf("round trip:\n got %+v %s (%v)\nwant %+v %s", p2, dataOf(p2), err, want, want.Data)
		}
	})
}

// FuzzRoundTrip starts from the server's side: any valid JSON payload
// (with some attachments) encodes, and decoding the result gives JSON that
// encodes to the very same bytes (the conversion reaches a fixed point).
func FuzzRoundTrip(f *testing.F) {
	f.Add([]byte(`["hello",{"a":[1,2.5,-3,true,null,"\u00e9\n"]}]`), uint8(0))
	f.Add([]byte(`["bin",{"_placeholder":true,"num":0},{"x":{"_placeholder":true,"num":1}}]`), uint8(2))
	f.Add([]byte(` [ "sp" , 1e3 , -0 , 1E-7 , 18446744073709551615 , "\ud83d\ude00\ud800" ] `), uint8(0))
	f.Fuzz(func(t *testing.T, data []byte, natts uint8) {
		atts := make([][]byte, natts%4)
		for i := range atts {
			atts[i] = []byte{byte(i), 0xff}
		}
		p := parser.Packet{Type: parser.Event, Namespace: "/x", ID: 3, Data: data, Attachments: atts}
		enc, _, err := Parser{}.AppendPacket(nil, &p)
		if err != nil {
			if json.Valid(data) {
				t.Fatalf("valid JSON %q refused: %v", data, err)
			}
			return
		}
		if !json.Valid(data) {
			t.Fatalf("invalid JSON %q encoded", data)
		}
		if !utf8.Valid(data) {
			return // passed through as is; every decoder (this one, notepack's) reads U+FFFD
		}
		d := Parser{}.NewDecoder(nil)
		p2, err := d.Decode(enc, true)
		if err != nil {
			if errors.Is(err, parser.ErrInvalidPayload) || errors.Is(err, parser.ErrReservedEvent) {
				return // not an event payload: encoding it was the caller's business
			}
			t.Fatalf("decode of %x: %v", enc, err)
		}
		enc2, _, err := Parser{}.AppendPacket(nil, p2)
		if err == nil && (bytes.Contains(enc, posInf) || bytes.Contains(enc, negInf)) {
			// A JSON number beyond float64 is ±Inf, as JSON.parse makes it,
			// and ±Inf goes to JSON as null, as JSON.stringify writes it:
			// lossy by design (doc.go), as between Node's two parsers.
			return
		}
		if err != nil || !bytes.Equal(enc, enc2) {
			t.Fatalf("not a fixed point: %x\nthen %x (%v)", enc, enc2, err)
		}
	})
}

// sameJSON reports whether a and b hold the same JSON value.
func sameJSON(a, b []byte) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	var va, vb any
	da, db := json.NewDecoder(bytes.NewReader(a)), json.NewDecoder(bytes.NewReader(b))
	da.UseNumber()
	db.UseNumber()
	return da.Decode(&va) == nil && db.Decode(&vb) == nil && reflect.DeepEqual(roundBigUints(va), roundBigUints(vb))
}

// roundBigUints replaces every integer between 2^63 and 2^64 with its
// float64 value: the encoder writes such a number as notepack.io does, as
// the uint64 nearest the JavaScript number (JSON.parse has rounded it
// already on Node's side), so a round trip keeps it only to float64
// precision. Every other number is compared as written.
func roundBigUints(v any) any {
	switch x := v.(type) {
	case json.Number:
		if _, err := strconv.ParseInt(string(x), 10, 64); err != nil {
			if u, err := strconv.ParseUint(string(x), 10, 64); err == nil {
				return float64(u)
			}
		}
		return x
	case []any:
		for i := range x {
			x[i] = roundBigUints(x[i])
		}
	case map[string]any:
		for k := range x {
			x[k] = roundBigUints(x[k])
		}
	}
	return v
}

func clonePacket(p *parser.Packet) parser.Packet {
	c := *p
	c.Data = bytes.Clone(p.Data)
	return c
}

func dataOf(p *parser.Packet) []byte {
	if p == nil {
		return nil
	}
	return p.Data
}

// posInf and negInf are MessagePack float 64 ±Inf.
var (
	posInf = []byte{0xcb, 0x7f, 0xf0, 0, 0, 0, 0, 0, 0}
	negInf = []byte{0xcb, 0xff, 0xf0, 0, 0, 0, 0, 0, 0}
)
