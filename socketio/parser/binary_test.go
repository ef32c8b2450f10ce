package parser

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"github.com/sio-fast/sio-fast/internal/jsonx"
)

type inner struct {
	Blob  []byte `json:"blob"`
	Label string `json:"label,omitempty"`
}

type Embedded struct {
	E []byte `json:"e"`
}

type outer struct {
	Embedded
	Name    string            `json:"name"`
	Items   []inner           `json:"items"`
	Ptr     *inner            `json:"ptr,omitempty"`
	Skip    []byte            `json:"-"`
	Raw     json.RawMessage   `json:"raw"`
	Fixed   [2]byte           `json:"fixed"`
	ByMap   map[string][]byte `json:"by_map"`
	private []byte
}

func TestDeconstruct(t *testing.T) {
	b0, b1, b2 := []byte{1, 2, 3}, []byte{4, 5, 6}, []byte{}
	tests := []struct {
		name string
		in   any
		json string
		atts [][]byte
	}{
		{"no binary", []any{"message", 1, "<&>", map[string]any{"3": []any{true}}}, `["message",1,"<&>",{"3":[true]}]`, nil},
		{"top level", b0, `{"_placeholder":true,"num":0}`, [][]byte{b0}},
		{"args", []any{"message-back", b0, b1}, `["message-back",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]`, [][]byte{b0, b1}},
		{"nested sorted map", map[string]any{"z": b1, "a": []any{map[string]any{"x": b0}}, "n": nil}, `{"a":[{"x":{"_placeholder":true,"num":0}}],"n":null,"z":{"_placeholder":true,"num":1}}`, [][]byte{b0, b1}},
		{"empty and nil", []any{b2, []byte(nil)}, `[{"_placeholder":true,"num":0},null]`, [][]byte{b2}},
		{"raw message untouched", []any{json.RawMessage(`{"a":1}`), b0}, `[{"a":1},{"_placeholder":true,"num":0}]`, [][]byte{b0}},
		{"json.Number", []any{json.Number("100123456789"), b0}, `[100123456789,{"_placeholder":true,"num":0}]`, [][]byte{b0}},
		{"struct", &outer{Embedded: Embedded{E: b2}, Name: "n", Items: []inner{{Blob: b0}, {Label: "l"}}, Skip: b1,
			Raw: json.RawMessage(`[1]`), Fixed: [2]byte{7, 8}, ByMap: map[string][]byte{"k": b1}, private: b1},
			`{"e":{"_placeholder":true,"num":0},"name":"n","items":[{"blob":{"_placeholder":true,"num":1}},{"blob":null,"label":"l"}],"raw":[1],"fixed":[7,8],"by_map":{"k":{"_placeholder":true,"num":2}}}`,
			[][]byte{b2, b0, b1}},
		{"int keys", map[int]any{2: "b", 10: b0}, `{"10":{"_placeholder":true,"num":0},"2":"b"}`, [][]byte{b0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, atts, err := Deconstruct(tt.in)
			if err != nil || string(data) != tt.json {
				t.Fatalf("Deconstruct = %s, %v\nwant          %s", data, err, tt.json)
			}
			if len(atts) != len(tt.atts) {
				t.Fatalf("attachments %v", atts)
			}
			for i := range atts {
				if !bytes.Equal(atts[i], tt.atts[i]) {
					t.Fatalf("attachment %d = %v", i, atts[i])
				}
			}
			if atts == nil {
				if m, _ := jsonx.Marshal(tt.in); string(m) != string(data) {
					t.Fatalf("without binary Deconstruct %s != jsonx %s", data, m)
				}
			}
		})
	}
}

func TestDeconstructErrors(t *testing.T) {
	type node struct{ Next any }
	n := &node{}
	n.Next = n
	for _, v := range []any{map[[2]int]any{{1, 2}: []byte{1}}, []any{make(chan int)}, n} {
		if _, _, err := Deconstruct(v); err == nil {
			t.Errorf("Deconstruct(%T) succeeded", v)
		}
	}
}

func TestReconstruct(t *testing.T) {
	a, b := []byte{1}, []byte{2, 2}
	tests := []struct {
		in   string
		atts [][]byte
		want any
		err  error
	}{
		{`["x",{"_placeholder":true,"num":0}]`, [][]byte{a}, []any{"x", a}, nil},
		{`{"deep":[[{"k":{"num":1,"_placeholder":true}}]],"n":100123456789}`, [][]byte{a, b},
			map[string]any{"deep": []any{[]any{map[string]any{"k": b}}}, "n": json.Number("100123456789")}, nil},
		{`[{"num":1.0,"extra":"x","_placeholder":true}]`, [][]byte{a, b}, []any{b}, nil},
		{`[{"_placeholder":false,"num":9}]`, nil, []any{map[string]any{"_placeholder": false, "num": json.Number("9")}}, nil},
		{`[{"_placeholder":true,"num":2}]`, [][]byte{a, b}, nil, ErrInvalidPlaceholder},
		{`[{"_placeholder":true,"num":-1}]`, [][]byte{a}, nil, ErrInvalidPlaceholder},
		{`[{"_placeholder":true,"num":"0"}]`, [][]byte{a}, nil, ErrInvalidPlaceholder},
		{`[{"_placeholder":true}]`, [][]byte{a}, nil, ErrInvalidPlaceholder},
		{`[1,`, nil, nil, ErrInvalidJSON},
	}
	for _, tt := range tests {
		got, err := Reconstruct([]byte(tt.in), tt.atts)
		if !errors.Is(err, tt.err) || (err == nil && !reflect.DeepEqual(got, tt.want)) {
			t.Errorf("Reconstruct(%s) = %#v, %v", tt.in, got, err)
		}
		if err == nil || errors.Is(err, ErrInvalidPlaceholder) { // the streaming check agrees
			if cerr := checkPlaceholders([]byte(tt.in), len(tt.atts)); !errors.Is(cerr, tt.err) {
				t.Errorf("checkPlaceholders(%s) = %v", tt.in, cerr)
			}
		}
	}
}

func TestDeconstructReconstructRoundTrip(t *testing.T) {
	in := []any{"upload", map[string]any{"files": []any{[]byte("a"), map[string]any{"b": []byte("bb")}}, "n": json.Number("9007199254740993")}}
	data, atts, err := Deconstruct(in)
	if err != nil {
		t.Fatal(err)
	}
	out, err := Reconstruct(data, atts)
	if err != nil || !reflect.DeepEqual(out, in) {
		t.Fatalf("round trip: %#v, %v", out, err)
	}
}
