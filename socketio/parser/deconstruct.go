package parser

import (
	"encoding"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/sio-fast/sio-fast/internal/jsonx"
)

// Deconstruct encodes v as JSON, replacing every []byte found at any depth
// (slices, arrays, maps, pointers, interfaces, exported struct fields) by
// {"_placeholder":true,"num":N} with N in walk order, and returns the byte
// slices in that order. attachments alias v's slices. When it returns no
// attachments the JSON equals jsonx.Marshal(v) (send EVENT/ACK); otherwise
// send BINARY_EVENT/BINARY_ACK with len(attachments).
//
// Values that hold no []byte (by static type) are encoded by jsonx directly, as
// are json.Marshaler and encoding.TextMarshaler values. Map keys are written in
// sorted order. Struct fields follow encoding/json's tag rules (name, "-",
// omitempty, omitzero, untagged embedded structs flattened) except that name
// conflicts between embedded structs are resolved by "shallowest, then first"
// and the ",string" option is ignored. json.RawMessage is never treated as
// binary. A nil []byte encodes as null. Safe from any goroutine.
func Deconstruct(v any) (data []byte, attachments [][]byte, err error) {
	if !mayHoldBytes(reflect.TypeOf(v)) {
		data, err = jsonx.Marshal(v)
		return data, nil, err
	}
	defer func() { // last-resort guard: reflection on exotic values must not kill the server
		if r := recover(); r != nil {
			data, attachments, err = nil, nil, fmt.Errorf("parser: deconstruct: %v", r)
		}
	}()
	d := deconstructor{}
	data, err = d.encode(make([]byte, 0, 128), reflect.ValueOf(v), 0)
	if err != nil {
		return nil, nil, err
	}
	return data, d.atts, nil
}

type deconstructor struct{ atts [][]byte }

const maxEncodeDepth = 1000 // like encoding/json's pointer-cycle threshold

var (
	marshalerType     = reflect.TypeFor[json.Marshaler]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
	numberType        = reflect.TypeFor[json.Number]()
)

func (d *deconstructor) encode(dst []byte, v reflect.Value, depth int) ([]byte, error) {
	if !v.IsValid() {
		return append(dst, "null"...), nil
	}
	if depth > maxEncodeDepth {
		return dst, ErrTooDeep
	}
	t := v.Type()
	if !mayHoldBytes(t) {
		return d.leaf(dst, v)
	}
	switch t.Kind() {
	case reflect.Interface, reflect.Pointer:
		if v.IsNil() {
			return append(dst, "null"...), nil
		}
		return d.encode(dst, v.Elem(), depth+1)
	case reflect.Slice:
		if v.IsNil() {
			return append(dst, "null"...), nil
		}
		if t.Elem().Kind() == reflect.Uint8 {
			dst = append(dst, `{"_placeholder":true,"num":`...)
			dst = strconv.AppendInt(dst, int64(len(d.atts)), 10)
			d.atts = append(d.atts, v.Bytes())
			return append(dst, '}'), nil
		}
		return d.array(dst, v, depth)
	case reflect.Array:
		return d.array(dst, v, depth)
	case reflect.Map:
		return d.mapping(dst, v, depth)
	case reflect.Struct:
		return d.object(dst, v, depth)
	}
	return jsonx.AppendMarshal(dst, v.Interface())
}

// leaf encodes a value that cannot contain []byte; common kinds are inlined
// because a jsonx call per scalar costs more than the scalar.
func (d *deconstructor) leaf(dst []byte, v reflect.Value) ([]byte, error) {
	t := v.Type()
	if t.Implements(marshalerType) || t.Implements(textMarshalerType) || t == numberType {
		return jsonx.AppendMarshal(dst, v.Interface())
	}
	switch t.Kind() {
	case reflect.String:
		return AppendString(dst, v.String()), nil
	case reflect.Bool:
		return strconv.AppendBool(dst, v.Bool()), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.AppendInt(dst, v.Int(), 10), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.AppendUint(dst, v.Uint(), 10), nil
	}
	return jsonx.AppendMarshal(dst, v.Interface())
}

func (d *deconstructor) array(dst []byte, v reflect.Value, depth int) ([]byte, error) {
	dst = append(dst, '[')
	for i := range v.Len() {
		if i > 0 {
			dst = append(dst, ',')
		}
		var err error
		if dst, err = d.encode(dst, v.Index(i), depth+1); err != nil {
			return dst, err
		}
	}
	return append(dst, ']'), nil
}

func (d *deconstructor) mapping(dst []byte, v reflect.Value, depth int) ([]byte, error) {
	if v.IsNil() {
		return append(dst, "null"...), nil
	}
	type entry struct {
		key string
		val reflect.Value
	}
	entries := make([]entry, 0, v.Len())
	for it := v.MapRange(); it.Next(); {
		k, err := mapKey(it.Key())
		if err != nil {
			return dst, err
		}
		entries = append(entries, entry{k, it.Value()})
	}
	slices.SortFunc(entries, func(a, b entry) int { return strings.Compare(a.key, b.key) })
	dst = append(dst, '{')
	for i, e := range entries {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(AppendString(dst, e.key), ':')
		var err error
		if dst, err = d.encode(dst, e.val, depth+1); err != nil {
			return dst, err
		}
	}
	return append(dst, '}'), nil
}

func mapKey(k reflect.Value) (string, error) {
	if k.Kind() == reflect.String {
		return k.String(), nil
	}
	if tm, ok := k.Interface().(encoding.TextMarshaler); ok {
		b, err := tm.MarshalText()
		return string(b), err
	}
	switch k.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(k.Int(), 10), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.FormatUint(k.Uint(), 10), nil
	}
	return "", ErrUnsupportedMapKey
}

func (d *deconstructor) object(dst []byte, v reflect.Value, depth int) ([]byte, error) {
	dst = append(dst, '{')
	n := 0
	for _, f := range fieldsOf(v.Type()) {
		fv, err := v.FieldByIndexErr(f.index)
		if err != nil || !fv.CanInterface() { // nil embedded pointer, or unexported
			continue
		}
		if (f.omitEmpty && isEmpty(fv)) || (f.omitZero && fv.IsZero()) {
			continue
		}
		if n > 0 {
			dst = append(dst, ',')
		}
		n++
		dst = append(AppendString(dst, f.name), ':')
		if dst, err = d.encode(dst, fv, depth+1); err != nil {
			return dst, err
		}
	}
	return append(dst, '}'), nil
}

func isEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Interface, reflect.Pointer:
		return v.IsNil()
	}
	return v.IsZero() // bool, numbers
}
