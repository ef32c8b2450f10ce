//go:build !jsonstd

package jsonx

import (
	"encoding/json"

	"github.com/bytedance/sonic"
	"github.com/bytedance/sonic/encoder"
)

// api is the frozen sonic configuration. CompactMarshaler stays false on purpose:
// in sonic that keeps json.Marshaler output (json.RawMessage) byte-for-byte.
var api = sonic.Config{
	EscapeHTML:       false,
	ValidateString:   true, // reject raw control chars like encoding/json and JSON.parse
	CopyString:       true, // decoded strings must not alias reused engine buffers
	UseNumber:        true, // exact integers, see doc.go
	NoEncoderNewline: true,
}.Froze()

// apiFloat is api with numbers in interface values decoded as float64.
var apiFloat = sonic.Config{
	EscapeHTML:       false,
	ValidateString:   true,
	CopyString:       true,
	NoEncoderNewline: true,
}.Froze()

// encOpts mirrors api's encoder options for EncodeInto.
const encOpts = encoder.ValidateString | encoder.NoEncoderNewline

// Backend names the JSON implementation compiled in ("sonic" or "encoding/json").
const Backend = "sonic"

// Marshal returns the JSON encoding of v without HTML escaping. Safe from any goroutine.
func Marshal(v any) ([]byte, error) {
	return api.Marshal(v)
}

// AppendMarshal appends the JSON encoding of v to dst and returns the extended
// slice; on error dst is returned unchanged (length-wise). Safe from any goroutine.
func AppendMarshal(dst []byte, v any) ([]byte, error) {
	n := len(dst)
	if err := encoder.EncodeInto(&dst, v, encOpts); err != nil {
		return dst[:n], err
	}
	return dst, nil
}

// Unmarshal decodes b into v. Numbers decoded into interface values become
// json.Number. Strings in v never alias b. Safe from any goroutine.
func Unmarshal(b []byte, v any) error {
	return api.Unmarshal(b, v)
}

// UnmarshalFloat is Unmarshal with encoding/json's default for numbers
// decoded into interface values: float64. Safe from any goroutine.
func UnmarshalFloat(b []byte, v any) error {
	return apiFloat.Unmarshal(b, v)
}

// Valid reports whether b is one valid JSON value (surrounding whitespace
// allowed). It uses encoding/json because sonic's validator accepts raw control
// characters inside strings, which JSON.parse rejects. Safe from any goroutine.
func Valid(b []byte) bool {
	return json.Valid(b)
}
