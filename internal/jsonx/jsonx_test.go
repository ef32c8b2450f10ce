package jsonx

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
)

func TestMarshal(t *testing.T) {
	tests := []struct {
		name string
		in   any
		want string
	}{
		{"no html escaping", []any{"message-back", "<b>&</b>"}, `["message-back","<b>&</b>"]`},
		{"raw message verbatim", []any{json.RawMessage(`{"3":[true]}`), 1}, `[{"3":[true]},1]`},
		{"big integers", []any{int64(100123456789), int64(1) << 53}, `[100123456789,9007199254740992]`},
		{"json.Number", json.Number("1.0"), `1.0`},
		{"struct", struct {
			Sid string `json:"sid"`
		}{"abc"}, `{"sid":"abc"}`},
		{"nil slice", []byte(nil), `null`},
		{"invalid utf8 replaced", "a\xffb", `"a\ufffdb"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Marshal(tt.in)
			if err != nil || string(got) != tt.want {
				t.Fatalf("Marshal = %q, %v; want %q", got, err, tt.want)
			}
			dst := []byte("42")
			got, err = AppendMarshal(dst, tt.in)
			if err != nil || string(got) != "42"+tt.want {
				t.Fatalf("AppendMarshal = %q, %v; want %q", got, err, "42"+tt.want)
			}
		})
	}
}

func TestMarshalErrors(t *testing.T) {
	for _, v := range []any{json.RawMessage(`{bad`), make(chan int)} {
		dst := []byte("x")
		out, err := AppendMarshal(dst, v)
		if err == nil {
			t.Fatalf("AppendMarshal(%T) succeeded: %q", v, out)
		}
		if string(out) != "x" {
			t.Fatalf("AppendMarshal error left %q", out)
		}
	}
}

func TestUnmarshalNumbersAndCopies(t *testing.T) {
	in := []byte(`{"a":100123456789,"b":9007199254740993,"c":1.0,"s":"hello"}`)
	var v any
	if err := Unmarshal(in, &v); err != nil {
		t.Fatal(err)
	}
	out, err := Marshal(v.(map[string]any)["b"])
	if err != nil || string(out) != "9007199254740993" {
		t.Fatalf("b re-encoded as %q, %v", out, err)
	}
	m := v.(map[string]any)
	if m["a"] != json.Number("100123456789") || m["c"] != json.Number("1.0") {
		t.Fatalf("numbers: %#v", m)
	}
	copy(in, bytes.Repeat([]byte("x"), len(in))) // clobber the input buffer
	if m["s"] != "hello" {
		t.Fatalf("decoded string aliases input: %q", m["s"])
	}
}

func TestUnmarshalInvalid(t *testing.T) {
	for _, in := range []string{"", "{", "[1,]", "\"a\x01\"", "01", "1 2", "nul", `{"a" 1}`} {
		var v any
		if err := Unmarshal([]byte(in), &v); err == nil {
			t.Errorf("Unmarshal(%q) succeeded: %#v", in, v)
		}
	}
}

func TestValid(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{`["a",1]`, true}, {` {} `, true}, {`"a` + "\x01" + `"`, false}, {`[1,]`, false}, {``, false},
	}
	for _, tt := range tests {
		if got := Valid([]byte(tt.in)); got != tt.want {
			t.Errorf("Valid(%q) = %v", tt.in, got)
		}
	}
}

// FuzzUnmarshalDiff is the differential oracle: decoding a generic value with
// jsonx must agree with encoding/json (UseNumber) on success/failure and value.
func FuzzUnmarshalDiff(f *testing.F) {
	for _, s := range []string{`["message",1,"2",{"3":[true]}]`, `{"a":1e400}`, `"\ud800"`, "\"\xff\"",
		`[1,]`, `-0`, `01`, `{"a":1,"a":2}`, ` [ ] `, `"\u00e9<&>"`, "\"\x7f\"", `1E+2`, `[[[[]]]]`, `{"":null}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var got, want any
		errGot := Unmarshal(in, &got)
		dec := json.NewDecoder(bytes.NewReader(in))
		dec.UseNumber()
		var errWant error
		if !json.Valid(in) {
			errWant = json.Unmarshal(in, &want)
		} else {
			errWant = dec.Decode(&want)
		}
		if (errGot == nil) != (errWant == nil) {
			t.Fatalf("%q: jsonx err=%v, encoding/json err=%v", in, errGot, errWant)
		}
		if errGot == nil && !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: jsonx=%#v encoding/json=%#v", in, got, want)
		}
		if Valid(in) != (errWant == nil) {
			t.Fatalf("%q: Valid=%v", in, Valid(in))
		}
	})
}
