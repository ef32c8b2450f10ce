//go:build jsonstd

package jsonx

import (
	"bytes"
	"encoding/json"
)

// Backend names the JSON implementation compiled in ("sonic" or "encoding/json").
const Backend = "encoding/json"

// Marshal returns the JSON encoding of v without HTML escaping. Safe from any goroutine.
func Marshal(v any) ([]byte, error) {
	return AppendMarshal(nil, v)
}

// AppendMarshal appends the JSON encoding of v to dst and returns the extended
// slice; on error dst is returned unchanged (length-wise). Safe from any goroutine.
func AppendMarshal(dst []byte, v any) ([]byte, error) {
	n := len(dst)
	buf := bytes.NewBuffer(dst)
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return dst[:n], err
	}
	out := buf.Bytes()
	// Encoder.Encode always terminates the value with '\n'; Marshal does not.
	return out[:len(out)-1], nil
}

// Unmarshal decodes b into v. Numbers decoded into interface values become
// json.Number. Strings in v never alias b. Safe from any goroutine.
func Unmarshal(b []byte, v any) error { return unmarshal(b, v, true) }

// UnmarshalFloat is Unmarshal with encoding/json's default for numbers
// decoded into interface values: float64. Safe from any goroutine.
func UnmarshalFloat(b []byte, v any) error { return unmarshal(b, v, false) }

func unmarshal(b []byte, v any, useNumber bool) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	if useNumber {
		dec.UseNumber()
	}
	if err := dec.Decode(v); err != nil {
		return err
	}
	// Decoder accepts a stream; Unmarshal semantics demand exactly one value.
	if !onlySpace(b[dec.InputOffset():]) {
		return errTrailing
	}
	return nil
}

// Valid reports whether b is one valid JSON value (surrounding whitespace
// allowed). Safe from any goroutine.
func Valid(b []byte) bool {
	return json.Valid(b)
}

func onlySpace(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return false
		}
	}
	return true
}
