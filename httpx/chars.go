package httpx

import "encoding/binary"

// Byte classes used by the parser. Tables are built once at init so the hot
// loops do a single indexed load per byte instead of a chain of comparisons.

const (
	classToken  = 1 << iota // tchar (RFC 9110 §5.6.2): header names, methods, tokens
	classValue              // field-vchar / SP / HTAB / obs-text: header values
	classTarget             // request-target bytes: visible ASCII and obs-text
	classHex                // HEXDIG
)

var byteClass = func() (t [256]uint8) {
	for c := 0; c < 256; c++ {
		b := byte(c)
		isAlnum := 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9'
		if isAlnum || isTokenPunct(b) {
			t[c] |= classToken
		}
		if b == '\t' || b >= 0x20 && b != 0x7f {
			t[c] |= classValue
		}
		if b > 0x20 && b != 0x7f {
			t[c] |= classTarget
		}
		if '0' <= b && b <= '9' || 'a' <= b && b <= 'f' || 'A' <= b && b <= 'F' {
			t[c] |= classHex
		}
	}
	return t
}()

func isTokenPunct(b byte) bool {
	switch b {
	case '!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~':
		return true
	}
	return false
}

func isToken(b byte) bool { return byteClass[b]&classToken != 0 }

func isOWS(b byte) bool { return b == ' ' || b == '\t' }

// hexVal returns the value of a hex digit; callers check classHex first.
func hexVal(b byte) int64 {
	switch {
	case b <= '9':
		return int64(b - '0')
	case b >= 'a':
		return int64(b-'a') + 10
	default:
		return int64(b-'A') + 10
	}
}

func lower(b byte) byte {
	if 'A' <= b && b <= 'Z' {
		return b + ('a' - 'A')
	}
	return b
}

// equalFold reports whether b equals s under ASCII case folding. HTTP field
// names and the tokens we care about are ASCII, so unicode folding would
// only cost time (and could fold "K" to the Kelvin sign).
func equalFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := 0; i < len(b); i++ {
		if lower(b[i]) != lower(s[i]) {
			return false
		}
	}
	return true
}

// trimOWS strips optional whitespace (SP, HTAB) from both ends.
func trimOWS(b []byte) []byte {
	for len(b) > 0 && isOWS(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isOWS(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

// hasToken reports whether the comma-separated list v contains token,
// ignoring case and optional whitespace around elements (RFC 9110 §5.6.1).
func hasToken(v []byte, token string) bool {
	for len(v) > 0 {
		i := 0
		for i < len(v) && v[i] != ',' {
			i++
		}
		if equalFold(trimOWS(v[:i]), token) {
			return true
		}
		if i == len(v) {
			break
		}
		v = v[i+1:]
	}
	return false
}

// Word-at-a-time scans: the request-target and header values are checked
// eight bytes at a time, a word with no byte to look at closer passing at
// once (the usual case); the first word that may hold one, and the tail, go
// through byteClass a byte at a time.
const (
	swarOnes = 0x0101010101010101
	swarHigh = 0x8080808080808080
)

// plainWord reports whether every byte of x is at least lo (lo ≤ 0x80) and
// none is DEL (0x7f); bytes from 0x80 up are plain (obs-text). Both tests
// are exact for the word as a whole: a borrow can only flag a byte above
// one that is flagged already.
func plainWord(x, lo uint64) bool {
	d := x ^ 0x7f*swarOnes // zero bytes where x has DEL
	return ((x-lo*swarOnes)&^x|(d-swarOnes)&^d)&swarHigh == 0
}

// spanOf returns how many leading bytes of b have class c (classTarget or
// classValue), lo being the least byte of that class other than HTAB.
func spanOf(b []byte, c uint8, lo uint64) int {
	i := 0
	for ; len(b)-i >= 8 && plainWord(binary.LittleEndian.Uint64(b[i:]), lo); i += 8 {
	}
	for i < len(b) && byteClass[b[i]]&c != 0 {
		i++
	}
	return i
}

// targetSpan returns how many leading bytes of b are request-target bytes.
func targetSpan(b []byte) int { return spanOf(b, classTarget, 0x21) }

// valueSpan returns how many leading bytes of b are header-value bytes.
func valueSpan(b []byte) int { return spanOf(b, classValue, 0x20) }
