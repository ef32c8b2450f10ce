package redisproto

import (
	"encoding/json"
	"reflect"
	"testing"
)

// sameJSON compares two JSON texts by meaning (escapes may differ).
func sameJSON(a, b []byte) bool {
	var x, y any
	return json.Unmarshal(a, &x) == nil && json.Unmarshal(b, &y) == nil && reflect.DeepEqual(x, y)
}

// FuzzDecodeBroadcast: any input either fails or decodes to a message whose
// data is valid JSON and re-encodes.
func FuzzDecodeBroadcast(f *testing.F) {
	f.Add(hexOfF(goldenAdapter))
	f.Add(hexOfF(goldenEmitter))
	f.Add([]byte{0x93, 0xa1, 'u', 0x81, 0xa4, 'd', 'a', 't', 'a', 0x91, 0xc4, 0x01, 0x00, 0x80})
	f.Fuzz(func(t *testing.T, src []byte) {
		var m Broadcast
		if DecodeBroadcast(src, &m) != nil {
			return
		}
		if !json.Valid(m.Data) {
			t.Fatalf("invalid JSON %q from %x", m.Data, src)
		}
		if _, err := AppendBroadcast(nil, &m, AdapterOrder); err != nil {
			t.Fatalf("re-encode: %v (%s)", err, m.Data)
		}
	})
}

// FuzzTranscode: MessagePack → JSON gives valid JSON, and JSON → MessagePack
// → JSON is stable.
func FuzzTranscode(f *testing.F) {
	f.Add([]byte{0x92, 0xa2, 'e', 'v', 0x01})
	f.Add([]byte{0xd4, 0x00, 0x00})
	f.Add([]byte{0x81, 0xa1, 'a', 0xcb, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, src []byte) {
		js, atts, _, err := AppendJSON(nil, nil, src)
		if err != nil {
			return
		}
		if !json.Valid(js) {
			t.Fatalf("invalid JSON %q from %x", js, src)
		}
		mp, err := AppendMsgpack(nil, js, atts)
		if err != nil {
			t.Fatalf("AppendMsgpack(%s): %v", js, err)
		}
		js2, _, rest, err := AppendJSON(nil, nil, mp)
		if err != nil || len(rest) != 0 || !sameJSON(js, js2) {
			t.Fatalf("unstable: %s -> %x -> %s, %v", js, mp, js2, err)
		}
	})
}

// FuzzJSONToMsgpack: any JSON input either fails or yields one MessagePack
// value that decodes back.
func FuzzJSONToMsgpack(f *testing.F) {
	f.Add([]byte(`["ev",{"a":[1,2.5,"\u00e9"]},{"_placeholder":true,"num":0}]`))
	f.Add([]byte(`"\ud800"`))
	f.Fuzz(func(t *testing.T, js []byte) {
		mp, err := AppendMsgpack(nil, js, [][]byte{{1}})
		if err != nil {
			return
		}
		if _, _, rest, err := AppendJSON(nil, nil, mp); err != nil || len(rest) != 0 {
			t.Fatalf("%s -> %x: %v", js, mp, err)
		}
	})
}

// FuzzDecodeRequest: requests and responses never panic.
func FuzzDecodeRequest(f *testing.F) {
	f.Add([]byte(`{"uid":"abc","requestId":"x","type":5,"opts":{"rooms":["a",1],"except":[]}}`))
	f.Add([]byte{0x83, 0xa4, 't', 'y', 'p', 'e', 0x09, 0xa9, 'r', 'e', 'q', 'u', 'e', 's', 't', 'I', 'd', 0xa1, 'x', 0xa6, 'p', 'a', 'c', 'k', 'e', 't', 0xc4, 0x01, 0x02})
	f.Fuzz(func(t *testing.T, src []byte) {
		_, _ = DecodeRequest(src)
		_, _ = DecodeResponse(src)
	})
}

func hexOfF(s string) []byte {
	t := &testing.T{}
	return hexOf(t, s)
}
