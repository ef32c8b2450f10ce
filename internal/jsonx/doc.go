// Package jsonx is sio-fast's JSON facade. Every JSON encode and decode in the
// project goes through it so that the wire format matches Node's JSON.stringify
// where clients can tell the difference, and so the backend can be swapped with a
// build tag.
//
// Behaviour (both backends):
//   - No HTML escaping: '<', '>' and '&' are written as is (Go's encoding/json
//     escapes them by default; Node does not, and the Socket.IO conformance suite
//     compares strings byte for byte).
//   - Map keys are not sorted (Node keeps insertion order; Go maps have none, so
//     sorting would only cost time).
//   - json.RawMessage and other json.Marshaler output is copied verbatim after
//     validation (not re-compacted) with the default backend. The jsonstd backend
//     compacts it, as encoding/json always does; compact input is unchanged by both.
//   - Generic decoding (into any) yields json.Number for numbers, so integers such
//     as 100123456789 or 2^53 and decimal spellings like 1.0 re-encode exactly.
//   - Decoded strings never alias the input buffer (the input is usually an
//     engine read buffer that is reused).
//   - Strings with raw control characters are rejected, invalid UTF-8 is replaced
//     by U+FFFD, as encoding/json does.
//
// Backends: bytedance/sonic by default; build with -tags jsonstd to use
// encoding/json instead (platforms or Go versions sonic does not support, or to
// rule sonic out when debugging).
//
// Concurrency: every function is safe for concurrent use from any goroutine.
package jsonx
