package socketio

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"

	"github.com/sio-fast/sio-fast/socketio/parser"
)

// TestDecodeBinaryAtAnyDepth: Decode fills []byte fields of structs,
// slices and maps from the attachments, as Emit turns them into
// attachments; *any gets Value's tree with float64 numbers.
func TestDecodeBinaryAtAnyDepth(t *testing.T) {
	atts := [][]byte{{1, 2}, {3}, {4}}
	a := NewArgs(atts,
		json.RawMessage(`{"name":"n","files":[{"data":{"_placeholder":true,"num":0}},{"data":{"num":1,"_placeholder":true}}],"meta":{"raw":{"_placeholder":true,"num":2}},"count":3}`),
		json.RawMessage(`{"big":100123456789,"f":1.5,"b":{"_placeholder":true,"num":1}}`),
		json.RawMessage(`{"_placeholder":true,"num":9}`))
	var v struct {
		Name  string `json:"name"`
		Files []struct {
			Data []byte `json:"data"`
		} `json:"files"`
		Meta  map[string][]byte `json:"meta"`
		Count int               `json:"count"`
	}
	if err := a.Decode(0, &v); err != nil {
		t.Fatal(err)
	}
	if v.Name != "n" || v.Count != 3 || len(v.Files) != 2 || !bytes.Equal(v.Files[0].Data, []byte{1, 2}) ||
		!bytes.Equal(v.Files[1].Data, []byte{3}) || !bytes.Equal(v.Meta["raw"], []byte{4}) {
		t.Fatalf("decoded %+v", v)
	}
	var tree any
	if err := a.Decode(1, &tree); err != nil {
		t.Fatal(err)
	}
	m := tree.(map[string]any)
	if m["big"] != float64(100123456789) || m["f"] != 1.5 || !bytes.Equal(m["b"].([]byte), []byte{3}) {
		t.Fatalf("tree %#v", m)
	}
	if x, _ := a.Value(1); x.(map[string]any)["big"] != json.Number("100123456789") {
		t.Fatal("Value must keep json.Number")
	}
	var plain map[string]any
	if err := NewArgs(nil, json.RawMessage(`{"n":2}`)).Decode(0, &plain); err != nil || plain["n"] != float64(2) {
		t.Fatalf("plain: %#v %v", plain, err)
	}
	var b []byte
	if err := a.Decode(2, &b); !errors.Is(err, parser.ErrInvalidPlaceholder) {
		t.Fatalf("placeholder out of range: %v", err)
	}
	if err := a.Decode(3, &b); !errors.Is(err, ErrNoArgument) {
		t.Fatalf("index out of range: %v", err)
	}
}
