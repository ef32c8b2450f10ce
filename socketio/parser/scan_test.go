package parser

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestValidJSONMatchesEncodingJSON(t *testing.T) {
	cases := []string{
		``, ` `, `0`, `-0`, `01`, `-`, `1.`, `1.5e`, `1e+5`, `1E-5`, `.5`, `true`, `tru`, `nul`, `null `,
		`"a`, `"\u12"`, `"\u12G4"`, `"\x"`, "\"\x01\"", "\"\xff\"", `"\/"`, `[]`, `[1,]`, `[,1]`, `{}`,
		`{"a"}`, `{"a":}`, `{"a":1,}`, `{1:2}`, `[1 2]`, `["a",{"b":[true,false,null]}]`, ` {"a" : [ ] } `,
		strings.Repeat("[", 10000) + strings.Repeat("]", 10000),
		strings.Repeat("[", 10001) + strings.Repeat("]", 10001),
	}
	for _, c := range cases {
		if got, want := validJSON([]byte(c)), json.Valid([]byte(c)); got != want {
			t.Errorf("validJSON(%.40q) = %v, encoding/json says %v", c, got, want)
		}
	}
}

// FuzzScanner is the differential oracle for the hand-written scanner.
func FuzzScanner(f *testing.F) {
	for _, s := range []string{`["a",1,{"b":[true,null]}]`, `-1.5e+3`, `"\ud800\u0041"`, `{"":""}`, "\"\x1f\""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if got, want := validJSON(b), json.Valid(b); got != want {
			t.Fatalf("validJSON(%q) = %v, encoding/json says %v", b, got, want)
		}
	})
}
