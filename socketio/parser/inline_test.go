package parser

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"testing"
)

func TestInlineAttachments(t *testing.T) {
	atts := [][]byte{{0xde, 0xad}, {1, 2, 3}}
	tests := []struct{ in, want string }{
		{`{"_placeholder":true,"num":0}`, `"3q0="`},
		{` { "num" : 1 , "_placeholder" : true , "x":[ ] } `, `"AQID"`},
		{`{"a":[1,{"b":{"_placeholder":true,"num":1}}],"s":"_placeholder","n":null}`, `{"a":[1,{"b":"AQID"}],"s":"_placeholder","n":null}`},
		{`{"_placeholder":false,"num":0}`, `{"_placeholder":false,"num":0}`},
		{`{"\u005fplaceholder":true,"num":0}`, `"3q0="`},
		{`[]`, `[]`},
		{`{}`, `{}`},
		{`"x"`, `"x"`},
	}
	for _, tc := range tests {
		got, err := InlineAttachments([]byte("pre:"), []byte(tc.in), atts)
		if err != nil || string(got) != "pre:"+tc.want {
			t.Errorf("%s: got %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{`{"_placeholder":true,"num":2}`, `{"_placeholder":true}`, `[{"_placeholder":true,"num":-1}]`} {
		if out, err := InlineAttachments([]byte("pre:"), []byte(bad), atts); !errors.Is(err, ErrInvalidPlaceholder) || string(out) != "pre:" {
			t.Errorf("%s: %q %v, want ErrInvalidPlaceholder and dst unchanged", bad, out, err)
		}
	}
	if _, err := InlineAttachments(nil, []byte(`{"a":`), atts); !errors.Is(err, ErrInvalidJSON) {
		t.Errorf("truncated JSON: %v", err)
	}
}

// FuzzInlineAttachments: never panics; on success the output is valid JSON
// and decodes like the input with each placeholder replaced by its bytes.
func FuzzInlineAttachments(f *testing.F) {
	f.Add([]byte(`{"a":[{"_placeholder":true,"num":0}],"b":{"num":1,"_placeholder":true}}`))
	f.Add([]byte(`[1,"x",{"_placeholder":true,"num":7}]`))
	f.Add([]byte(` { "k" : [ [ ] , { } ] } `))
	atts := [][]byte{{1}, {2, 3}}
	f.Fuzz(func(t *testing.T, data []byte) {
		out, err := InlineAttachments(nil, data, atts)
		if err != nil {
			return
		}
		if !json.Valid(out) {
			t.Fatalf("%q gave invalid JSON %q", data, out)
		}
		want, err := Reconstruct(data, atts)
		if err != nil {
			t.Fatalf("%q inlined but does not reconstruct: %v", data, err)
		}
		// Numbers stay json.Number on both sides: one beyond float64
		// (1E700) is still valid JSON, which a float64 cannot hold.
		var got any
		dec := json.NewDecoder(bytes.NewReader(out))
		dec.UseNumber()
		_ = dec.Decode(&got)
		if !reflect.DeepEqual(normalise(want), normalise(got)) {
			t.Fatalf("%q: inlined %v, reconstructed %v", data, got, want)
		}
	})
}

// normalise turns []byte into its base64 string form and json.Number into
// float64, so a reconstructed tree compares with a decoded inlined one.
func normalise(v any) any {
	switch t := v.(type) {
	case []byte:
		b, _ := json.Marshal(t)
		var s string
		_ = json.Unmarshal(b, &s)
		return s
	case json.Number:
		if f, err := t.Float64(); err == nil {
			return f
		}
		return string(t) // beyond float64: compared as written
	case map[string]any:
		for k, e := range t {
			t[k] = normalise(e)
		}
	case []any:
		for i, e := range t {
			t[i] = normalise(e)
		}
	}
	return v
}
