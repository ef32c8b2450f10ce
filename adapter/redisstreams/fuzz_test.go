package redisstreams

import (
	"bytes"
	"encoding/base64"
	"testing"

	"github.com/sio-fast/sio-fast/internal/redisproto"
)

// FuzzDecodeEntry feeds arbitrary type and data fields to the stream entry
// decoder: it never panics, and what it accepts re-encodes to an entry
// that decodes to the same message.
func FuzzDecodeEntry(f *testing.F) {
	f.Add("3", `{"packet":{"type":2,"data":["ev",1],"nsp":"/"},"opts":{"rooms":[],"except":[],"flags":{}}}`)
	f.Add("3", base64.StdEncoding.EncodeToString([]byte("\x82\xa6packet\x83\xa4type\x02\xa4data\x92\xa2ev\xc4\x01\x07\xa3nsp\xa1/\xa4opts\x80")))
	f.Add("4", `{"opts":{"rooms":["a"],"except":[]},"rooms":["b"]}`)
	f.Add("x", "wQ==")
	f.Add("6", "{")
	f.Fuzz(func(t *testing.T, typ, data string) {
		m, err := decodeEntry(map[string]any{"uid": "u", "nsp": "/", "type": typ, "data": data})
		if err != nil {
			return
		}
		values, err := entryValues(m)
		if err != nil {
			return // e.g. JSON that AppendMsgpack refuses (binary placeholders out of range)
		}
		fields := map[string]any{}
		for i := 0; i+1 < len(values); i += 2 {
			fields[values[i].(string)] = values[i+1]
		}
		m2, err := decodeEntry(fields)
		if err != nil {
			t.Fatalf("re-encoded entry %q does not decode: %v", fields, err)
		}
		if m2.Type != m.Type || len(m2.Atts) != len(m.Atts) {
			t.Fatalf("round trip %+v -> %+v", m, m2)
		}
		for i := range m.Atts {
			if !bytes.Equal(m.Atts[i], m2.Atts[i]) {
				t.Fatalf("attachment %d changed", i)
			}
		}
	})
}

// FuzzDecodePubSub feeds arbitrary payloads to the Pub/Sub decoder: it
// never panics, and what it accepts re-encodes and decodes the same.
func FuzzDecodePubSub(f *testing.F) {
	m := &message{UID: "u", Nsp: "/", Type: redisproto.ClusterServerSideEmit, Data: []byte(`{"packet":["ev",{"_placeholder":true,"num":0}],"requestId":"r"}`), Atts: [][]byte{{1, 2}}}
	seed, err := appendPubSub(nil, m)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte("garbage"))
	f.Add([]byte("\x84\xa3uid\xa1u\xa3nsp\xa1/\xa4type\x0b\xa4data\x82\xa9requestId\xa1r\xabclientCount\x02"))
	f.Fuzz(func(t *testing.T, payload []byte) {
		m, err := decodePubSub(payload)
		if err != nil {
			return
		}
		again, err := appendPubSub(nil, m)
		if err != nil {
			return
		}
		m2, err := decodePubSub(again)
		if err != nil || m2.UID != m.UID || m2.Nsp != m.Nsp || m2.Type != m.Type || len(m2.Atts) != len(m.Atts) {
			t.Fatalf("round trip %+v -> %+v (%v)", m, m2, err)
		}
	})
}

// FuzzDecodeSession feeds arbitrary session values (as another node may
// have stored) to the session decoder: it never panics.
func FuzzDecodeSession(f *testing.F) {
	f.Add(base64.StdEncoding.EncodeToString([]byte("\x84\xa3sid\xa1s\xa3pid\xa1p\xa5rooms\x91\xa1r\xa4data\x81\xa1k\x01")))
	f.Add("not base64")
	f.Fuzz(func(t *testing.T, v string) {
		if s, err := decodeSession(v); err == nil && s.SID == "" {
			t.Fatal("session without sid accepted")
		}
	})
}
