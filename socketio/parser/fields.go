package parser

import (
	"reflect"
	"strings"
	"sync"
)

// Type introspection for Deconstruct, cached per type.

var (
	holdsBytesCache sync.Map // reflect.Type → bool
	fieldsCache     sync.Map // reflect.Type → []field
)

// mayHoldBytes reports whether a value of type t can contain a []byte that
// Deconstruct must turn into an attachment. Interfaces may hold anything.
func mayHoldBytes(t reflect.Type) bool {
	if t == nil {
		return false
	}
	if c, ok := holdsBytesCache.Load(t); ok {
		return c.(bool)
	}
	r := holdsBytes(t, map[reflect.Type]bool{})
	holdsBytesCache.Store(t, r)
	return r
}

// holdsBytes walks the type graph; types already on the path count as false
// (any []byte reachable through them is found via another branch).
func holdsBytes(t reflect.Type, seen map[reflect.Type]bool) bool {
	if seen[t] || t.Implements(marshalerType) || t.Implements(textMarshalerType) {
		return false
	}
	seen[t] = true
	defer delete(seen, t)
	switch t.Kind() {
	case reflect.Interface:
		return true
	case reflect.Slice:
		return t.Elem().Kind() == reflect.Uint8 || holdsBytes(t.Elem(), seen)
	case reflect.Array, reflect.Pointer:
		return holdsBytes(t.Elem(), seen)
	case reflect.Map:
		return holdsBytes(t.Elem(), seen)
	case reflect.Struct:
		for i := range t.NumField() {
			if f := t.Field(i); (f.IsExported() || f.Anonymous) && holdsBytes(f.Type, seen) {
				return true
			}
		}
	}
	return false
}

type field struct {
	name      string
	index     []int
	depth     int
	omitEmpty bool
	omitZero  bool
}

// fieldsOf lists the JSON fields of struct type t following encoding/json's tag
// rules, simplified as documented on Deconstruct.
func fieldsOf(t reflect.Type) []field {
	if c, ok := fieldsCache.Load(t); ok {
		return c.([]field)
	}
	var all []field
	collectFields(t, nil, 0, &all, map[reflect.Type]bool{})
	kept := all[:0:0]
	for _, f := range all {
		dup := -1
		for j, k := range kept {
			if k.name == f.name {
				dup = j
			}
		}
		if dup < 0 {
			kept = append(kept, f)
		} else if f.depth < kept[dup].depth {
			kept[dup] = f
		}
	}
	fieldsCache.Store(t, kept)
	return kept
}

func collectFields(t reflect.Type, index []int, depth int, out *[]field, seen map[reflect.Type]bool) {
	if seen[t] {
		return
	}
	seen[t] = true
	for i := range t.NumField() {
		sf := t.Field(i)
		tag := sf.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		idx := append(append([]int(nil), index...), i)
		ft := sf.Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if sf.Anonymous && name == "" && ft.Kind() == reflect.Struct {
			collectFields(ft, idx, depth+1, out, seen)
			continue
		}
		if !sf.IsExported() {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		*out = append(*out, field{name: name, index: idx, depth: depth,
			omitEmpty: hasOpt(opts, "omitempty"), omitZero: hasOpt(opts, "omitzero")})
	}
}

func hasOpt(opts, want string) bool {
	for opts != "" {
		var o string
		o, opts, _ = strings.Cut(opts, ",")
		if o == want {
			return true
		}
	}
	return false
}
