package msgpackx

import (
	"encoding/json"
	"testing"
)

// AppendJSON accepts exactly what encoding/json calls valid (no depth
// limit in play here), never panics, and leaves dst's bytes alone.
func FuzzAppendJSON(f *testing.F) {
	for _, s := range []string{`0`, `-0.5e-3`, `"a\"\u00e9\ud83d\ude00"`, `"\ud800"`, ` [ 1 , { "k" : [ ] } ] `,
		`{"_placeholder":true,"num":0}`, `{"_placeholder":true,"num":1}`, `01`, `1.`, `[1,]`, `{"a":1,}`, `"\x"`, `tru`,
		`18446744073709551615`, `1e400`, `"` + string(rune(0x1f)) + `"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, js []byte) {
		dst := []byte("prefix")
		out, err := AppendJSON(dst, js, [][]byte{{1, 2}}, 1<<20)
		if (err == nil) != json.Valid(js) {
			t.Fatalf("AppendJSON(%q): %v, json.Valid %v", js, err, json.Valid(js))
		}
		if string(out[:6]) != "prefix" {
			t.Fatalf("dst changed: %q", out[:6])
		}
	})
}
